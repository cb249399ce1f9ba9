using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ImageSocial.Imaging.Vips.Native;

/// <summary>Sends libvips's own messages (GLib log domain <c>VIPS</c>: warnings about damaged files, unsupported metadata) to an
/// <see cref="ILogger"/> instead of the process's stderr.</summary>
/// <remarks>GLib keeps one handler per domain for the whole process; the handler is installed once, only for the <c>VIPS</c> domain,
/// when the first codec with a logger is created, and forwards to the most recently attached logger.</remarks>
internal static unsafe partial class VipsLog
{
    private const int AllLevels = -1; // G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION
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
                g_log_set_handler("VIPS", AllLevels, &OnMessage, 0);
                installed = true;
            }
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static void OnMessage(nint domain, int level, nint message, nint userData)
    {
        try
        {
            var text = Marshal.PtrToStringUTF8(message) ?? string.Empty;
            target?.Log(Level(level), new EventId(100, "libvips"), "libvips: {Message}", text);
        }
        catch (Exception)
        {
            // An exception must never unwind into native code.
        }
    }

    private static LogLevel Level(int flags) => (flags & 0xFC) switch
    {
        var l when (l & 0x0C) != 0 => LogLevel.Error,   // G_LOG_LEVEL_ERROR, G_LOG_LEVEL_CRITICAL
        var l when (l & 0x10) != 0 => LogLevel.Warning, // G_LOG_LEVEL_WARNING
        var l when (l & 0x60) != 0 => LogLevel.Information, // G_LOG_LEVEL_MESSAGE, G_LOG_LEVEL_INFO
        _ => LogLevel.Debug,
    };

    [LibraryImport(VipsNative.GLib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint g_log_set_handler(string logDomain, int logLevels, delegate* unmanaged[Cdecl]<nint, int, nint, nint, void> logFunc, nint userData);
}
