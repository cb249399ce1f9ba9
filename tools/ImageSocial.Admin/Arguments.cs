using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ImageSocial.Admin;

/// <summary>A parsed command line: area, command, <c>--name value</c> flags (some repeatable), and the deployment's settings.</summary>
internal sealed class Arguments
{
    private static readonly HashSet<string> Switches = ["json", "all", "force", "help"];
    private readonly Dictionary<string, List<string>> flags = new(StringComparer.Ordinal);

    private Arguments(string area, string command) => (Area, Command) = (area, command);

    public string Area { get; }

    public string Command { get; }

    public static Arguments Parse(string[] args)
    {
        // "grant", "backup" and "restore" are commands on their own (grant --handle H --role R); every other command is an area and a verb.
        var single = args.Length > 0 && args[0] is "grant" or "backup" or "restore";
        if (!single && (args.Length < 2 || args[0].StartsWith("--", StringComparison.Ordinal) || args[1].StartsWith("--", StringComparison.Ordinal)))
        {
            throw new FormatException("name an area and a command");
        }

        var parsed = single ? new Arguments(args[0], "") : new Arguments(args[0], args[1]);
        for (var i = single ? 1 : 2; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new FormatException($"unexpected '{args[i]}'");
            var value = Switches.Contains(name) ? "" : i + 1 < args.Length ? args[++i] : throw new FormatException($"--{name} needs a value");
            if (!parsed.flags.TryGetValue(name, out var values))
            {
                parsed.flags[name] = values = [];
            }

            values.Add(value);
        }

        return parsed;
    }

    public bool Has(string name) => flags.ContainsKey(name);

    public string? Optional(string name) => flags.TryGetValue(name, out var values) ? values[^1] : null;

    public string Required(string name) => Optional(name) ?? throw new FormatException($"--{name} is required");

    public IReadOnlyList<string> All(string name) => flags.TryGetValue(name, out var values) ? values : [];

    public int Integer(string name) =>
        int.TryParse(Required(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"--{name} takes a whole number");

    /// <summary>The deployment's settings as the sample host reads them: <c>--config</c>, then environment variables.</summary>
    public IConfiguration Settings()
    {
        var builder = new ConfigurationBuilder();
        if (Optional("config") is { } path)
        {
            builder.AddJsonFile(Path.GetFullPath(path), optional: false);
        }

        return builder.AddEnvironmentVariables().Build();
    }

    /// <summary>The embedded store's folder: <c>--data</c>, else <c>IMAGESOCIAL_DATA</c>, else <c>ImageSocial:DataDirectory</c>, else <c>./data</c>.</summary>
    public string DataDirectory(IConfiguration settings) =>
        Path.GetFullPath(Optional("data") ?? (settings["IMAGESOCIAL_DATA"] is { Length: > 0 } env ? env : settings["ImageSocial:DataDirectory"] is { Length: > 0 } dir ? dir : "data"));
}
