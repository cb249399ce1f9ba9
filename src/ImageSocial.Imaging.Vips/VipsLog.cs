using Microsoft.Extensions.Logging;

namespace ImageSocial.Imaging.Vips;

/// <summary>Sends libvips's own messages (GLib log domain <c>VIPS</c>: warnings about damaged files, unsupported metadata) to an
/// <see cref="ILogger"/> instead of the process's stderr.</summary>
/// <remarks>GLib keeps one handler per domain for the whole process; the handler is installed once, only for the <c>VIPS</c> domain,
/// when the first codec with a logger is created, and forwards to the most recently attached logger.</remarks>
internal static class VipsLog
{
    private static readonly Lock Gate = new();
    private static volatile ILogger? target;
    private static bool installed;

    internal static void Attach(ILogger logger)
    {
        target = logger;
        lock (Gate)
        {
            if (!installed)
            {
                NetVips.Log.SetLogHandler("VIPS", NetVips.Enums.LogLevelFlags.All, OnMessage);
                installed = true;
            }
        }
    }

    private static void OnMessage(string domain, NetVips.Enums.LogLevelFlags level, string message)
    {
        try
        {
            target?.Log(Level(level), new EventId(100, "libvips"), "libvips: {Message}", message);
        }
        catch (Exception)
        {
            // An exception must never unwind into native code.
        }
    }

    private static LogLevel Level(NetVips.Enums.LogLevelFlags flags) =>
        (flags & (NetVips.Enums.LogLevelFlags.Error | NetVips.Enums.LogLevelFlags.Critical)) != 0 ? LogLevel.Error
        : (flags & NetVips.Enums.LogLevelFlags.Warning) != 0 ? LogLevel.Warning
        : (flags & (NetVips.Enums.LogLevelFlags.Message | NetVips.Enums.LogLevelFlags.Info)) != 0 ? LogLevel.Information
        : LogLevel.Debug;
}
