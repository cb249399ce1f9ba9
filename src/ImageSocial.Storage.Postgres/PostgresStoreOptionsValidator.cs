using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres;

/// <summary>Checks <see cref="PostgresStoreOptions"/> at start-up: ranges from the attributes, then the server list.</summary>
internal sealed partial class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        var failures = new List<string>();
        var ranges = new RangeValidator().Validate(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        if (options.Servers.Count == 0)
        {
            failures.Add("PostgresStoreOptions.Servers must name at least one server (ImageSocial:Postgres:Servers:0:Name and :ConnectionString).");
        }

        foreach (var (server, i) in options.Servers.Select((s, i) => (s, i)))
        {
            if (string.IsNullOrWhiteSpace(server.Name) || server.Name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
            {
                failures.Add($"Servers[{i}].Name must be letters, digits, '-' or '_'.");
            }

            foreach (var (key, value) in new[] { ("ConnectionString", server.ConnectionString), ("ReplicaConnectionString", server.ReplicaConnectionString) })
            {
                if (value is null && key == "ReplicaConnectionString")
                {
                    continue;
                }

                try
                {
                    _ = new Npgsql.NpgsqlConnectionStringBuilder(value).Host ?? throw new ArgumentException("it names no Host");
                }
                catch (ArgumentException ex)
                {
                    failures.Add($"Servers[{i}].{key} is not a usable Npgsql connection string: {ex.Message}");
                }
            }
        }

        if (options.Servers.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != options.Servers.Count)
        {
            failures.Add("Two servers share one name.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<PostgresStoreOptions>
    {
    }
}
