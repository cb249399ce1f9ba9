using System.Text.Json;
using ImageSocial.Storage.Postgres;
using Microsoft.Extensions.Configuration;

namespace ImageSocial.Admin;

/// <summary><c>shards map</c> and <c>shards move</c> over the servers named by the settings or <c>--server</c>.</summary>
internal static class ShardCommands
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = Options(arguments);
        await using var store = new PostgresMetadataStore(Microsoft.Extensions.Options.Options.Create(options));
        switch (arguments.Command)
        {
            case "map":
                await store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"shard map version {store.Map.Version}, {store.Map.LogicalShardCount} logical shards").ConfigureAwait(false);
                foreach (var server in store.Map.Servers)
                {
                    var shards = Enumerable.Range(0, store.Map.LogicalShardCount).Where(s => store.Map.GetServer(s) == server).ToList();
                    await output.WriteLineAsync($"{server}: {shards.Count} shards{Ranges(shards)}").ConfigureAwait(false);
                }

                return 0;
            case "move":
                var report = await new ShardMover(store).MoveAsync(arguments.Integer("shard"), arguments.Required("to"), new SynchronousProgress(output), cancellationToken).ConfigureAwait(false);
                if (arguments.Has("json"))
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
                throw new FormatException($"unknown command 'shards {arguments.Command}'");
        }
    }

    /// <summary>The PostgreSQL servers: every <c>--server NAME=CONNECTION</c>, else the settings' <c>ImageSocial:Postgres</c> section.</summary>
    internal static PostgresStoreOptions Options(Arguments arguments)
    {
        var options = new PostgresStoreOptions();
        if (arguments.All("server") is { Count: > 0 } servers)
        {
            foreach (var server in servers)
            {
                var split = server.IndexOf('=', StringComparison.Ordinal);
                options.Servers.Add(split > 0 ? new PostgresServerOptions { Name = server[..split], ConnectionString = server[(split + 1)..] } : throw new FormatException("--server takes NAME=CONNECTION"));
            }
        }
        else
        {
            arguments.Settings().GetSection("ImageSocial:Postgres").Bind(options);
        }

        if (arguments.Optional("shards") is not null)
        {
            options.LogicalShardCount = arguments.Integer("shards");
        }

        return options.Servers.Count > 0 ? options : throw new FormatException("name the servers with --config or --server");
    }

    private static string Ranges(List<int> shards) => shards.Count == 0 ? "" : shards.Count <= 8 ? ": " + string.Join(", ", shards) : $": {shards[0]}, {shards[1]}, … {shards[^1]}";

    /// <summary>Writes progress lines as they happen (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(TextWriter output) : IProgress<string>
    {
        public void Report(string value) => output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {value}");
    }
}
