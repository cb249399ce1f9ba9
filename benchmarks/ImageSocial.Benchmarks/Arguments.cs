namespace ImageSocial.Benchmarks;

/// <summary>Command-line options: each <c>--name</c> takes the values up to the next option.</summary>
internal static class Arguments
{
    public static Dictionary<string, List<string>> Parse(IEnumerable<string> args)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                options[arg] = current = [];
            }
            else
            {
                current?.Add(arg);
            }
        }

        return options;
    }

    /// <summary>The first value of option <paramref name="name"/>, or <paramref name="fallback"/> when it is absent or has none.</summary>
    public static string One(this Dictionary<string, List<string>> options, string name, string fallback) =>
        options.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : fallback;
}
