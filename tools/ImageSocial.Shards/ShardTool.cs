using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageSocial.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace ImageSocial.Shards;

/// <summary>The command line: <c>map</c> and <c>move</c> over the servers named by <c>--config</c> or <c>--server</c>.</summary>
public static class ShardTool
{
    private const string Usage = """
        usage: imagesocial-shards map  (--config appsettings.json | --server NAME=CONNECTION ...) [--shards N]
               imagesocial-shards move --shard N --to SERVER (--config ... | --server ...) [--shards N] [--json]
          --config reads the ImageSocial:Postgres section of a host's settings file; --server may repeat, the first is the catalog.
        """;

    /// <summary>Runs one command; returns the process exit code (0 done, 1 failed, 2 bad usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        PostgresStoreOptions options;
        Dictionary<string, string> flags;
        try
        {
            (flags, options) = Parse(args);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync(ex.Message + Environment.NewLine + Usage).ConfigureAwait(false);
            return 2;
        }

        await using var store = new PostgresMetadataStore(Options.Create(options));
        try
        {
            switch (args[0])
            {
                case "map":
                    await store.EnsureCreatedAsync().ConfigureAwait(false);
                    await output.WriteLineAsync($"shard map version {store.Map.Version}, {store.Map.LogicalShardCount} logical shards").ConfigureAwait(false);
                    foreach (var server in store.Map.Servers)
                    {
                        var shards = Enumerable.Range(0, store.Map.LogicalShardCount).Where(s => store.Map.GetServer(s) == server).ToList();
                        await output.WriteLineAsync($"{server}: {shards.Count} shards{Ranges(shards)}").ConfigureAwait(false);
                    }

                    return 0;
                case "move":
                    var shard = int.Parse(Required(flags, "shard"), CultureInfo.InvariantCulture);
                    var report = await new ShardMover(store).MoveAsync(shard, Required(flags, "to"), new SynchronousProgress(output), cancellationToken).ConfigureAwait(false);
                    if (flags.ContainsKey("json"))
                    {
                        await output.WriteLineAsync(JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase })).ConfigureAwait(false);
                    }
                    else
                    {
                        foreach (var table in report.Tables)
                        {
                            await output.WriteLineAsync($"  {table.Table,-12} {table.Rows,10} rows  md5 {table.Checksum}").ConfigureAwait(false);
                        }

                        await output.WriteLineAsync($"moved shard {report.Shard} from {report.From} to {report.To}: map version {report.MapVersion}, writes fenced for {report.WriteBlock.TotalMilliseconds:F0} ms, {report.Elapsed.TotalSeconds:F1} s in all").ConfigureAwait(false);
                    }

                    return 0;
                default:
                    await error.WriteLineAsync($"unknown command '{args[0]}'{Environment.NewLine}{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }
        catch (ImageSocialException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync(ex.Message + Environment.NewLine + Usage).ConfigureAwait(false);
            return 2;
        }
    }

    private static (Dictionary<string, string> Flags, PostgresStoreOptions Options) Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new FormatException("no command");
        }

        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new PostgresStoreOptions();
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new FormatException($"unexpected '{args[i]}'");
            if (name == "json")
            {
                flags[name] = "";
                continue;
            }

            var value = i + 1 < args.Length ? args[++i] : throw new FormatException($"--{name} needs a value");
            switch (name)
            {
                case "server":
                    var split = value.IndexOf('=', StringComparison.Ordinal);
                    options.Servers.Add(split > 0 ? new PostgresServerOptions { Name = value[..split], ConnectionString = value[(split + 1)..] } : throw new FormatException("--server takes NAME=CONNECTION"));
                    break;
                case "config":
                    ReadConfig(value, options);
                    break;
                case "shards":
                    options.LogicalShardCount = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    flags[name] = value;
                    break;
            }
        }

        if (options.Servers.Count == 0)
        {
            throw new FormatException("name the servers with --config or --server");
        }

        return (flags, options);
    }

    private static void ReadConfig(string path, PostgresStoreOptions options)
    {
        var section = JsonNode.Parse(File.ReadAllText(path))?["ImageSocial"]?["Postgres"] ?? throw new FormatException($"{path} has no ImageSocial:Postgres section");
        if (section["LogicalShardCount"] is { } count)
        {
            options.LogicalShardCount = (int)count;
        }

        foreach (var server in section["Servers"]?.AsArray() ?? [])
        {
            options.Servers.Add(new PostgresServerOptions { Name = (string)server!["Name"]!, ConnectionString = (string)server["ConnectionString"]!, ReplicaConnectionString = (string?)server["ReplicaConnectionString"] });
        }
    }

    private static string Required(Dictionary<string, string> flags, string name) =>
        flags.TryGetValue(name, out var value) ? value : throw new FormatException($"--{name} is required");

    private static string Ranges(List<int> shards) => shards.Count == 0 ? "" : shards.Count <= 8 ? ": " + string.Join(", ", shards) : $": {shards[0]}, {shards[1]}, … {shards[^1]}";

    /// <summary>Writes progress lines as they happen (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(TextWriter output) : IProgress<string>
    {
        public void Report(string value) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {value}");
    }
}
