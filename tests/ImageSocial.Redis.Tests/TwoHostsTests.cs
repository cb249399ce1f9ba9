using System.Diagnostics;
using System.Globalization;
using ImageSocial.ConformanceTests;
using ImageSocial.Storage.Postgres;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;

namespace ImageSocial.Redis.Tests;

/// <summary>Two host processes share one PostgreSQL outbox through Redis; one is killed (SIGKILL) while it works. No message runs on two
/// hosts at once, and none is lost: the survivor takes the dead host's claims over once their lease runs out.</summary>
[Collection(RedisCollection.Name)]
public sealed class TwoHostsTests(RedisFixture redis) : IDisposable
{
    private const int Messages = 120;
    private readonly TemporaryDirectory folder = new();
    private readonly PostgresServer postgres = PostgresServer.StartPrimary();
    private readonly List<Process> hosts = [];

    [Fact]
    public async Task No_message_runs_twice_at_once_and_none_is_lost_when_a_host_is_killed()
    {
        var connection = postgres.ConnectionString();
        var options = new PostgresStoreOptions { LogicalShardCount = 8 };
        options.Servers.Add(new PostgresServerOptions { Name = "a", ConnectionString = connection });
        using var store = new PostgresMetadataStore(Options.Create(options));
        await store.EnsureCreatedAsync();
        var ids = new IdGenerator(TimeProvider.System, null);
        var messages = Enumerable.Range(0, Messages)
            .Select(i => OutboxMessage.Create(OutboxKinds.PhotoPurged, ids.Next(i % 8), new UserId(ids.Next(i % 8)).ToString())).ToList();
        await store.EnqueueAsync(messages);
        var subjects = messages.Select(m => m.Subject).ToHashSet();

        var prefix = RedisServer.NewPrefix();
        var a = Start(connection, prefix, "host-a");
        var b = Start(connection, prefix, "host-b");
        await WaitForAsync(() => Starts("host-a") >= 10, "host-a to start working");
        a.Process.Kill();
        a.Process.WaitForExit();
        var killedAt = DateTime.UtcNow.Ticks;

        await WaitForAsync(() => store.CountPendingAsync().GetAwaiter().GetResult() == 0, "the survivor to finish every message",
            () => postgres.Scalar<string>("SELECT string_agg(coalesce(leased_by, 'none') || '@' || coalesce(extract(epoch from lease_until - now())::int::text, '-') || '/' || attempts || ':' || coalesce(last_error, ''), ' ') FROM imagesocial.outbox") ?? "");
        b.Process.Kill();

        // Each host also runs its own start-up work (the embedding space's backfill); only the purges count here.
        var runs = Runs("host-a", killedAt).Concat(Runs("host-b", long.MaxValue)).Where(r => subjects.Contains(r.Subject)).GroupBy(r => r.Subject).ToList();
        Assert.Equal(Messages, runs.Count);
        Assert.All(runs, g => Assert.Contains(g, r => r.Completed));
        Assert.Contains(runs, g => g.Any(r => r.Host == "host-b"));
        foreach (var group in runs)
        {
            var ordered = group.OrderBy(r => r.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].Start >= ordered[i - 1].End,
                    $"message {group.Key} ran on {ordered[i - 1].Host} and {ordered[i].Host} at once");
            }
        }
    }

    private (Process Process, string Log) Start(string connection, string prefix, string name)
    {
        var log = folder.File(name + ".log");
        var dll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "ImageSocial.Redis.Tests.JobHost", "bin",
            new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "ImageSocial.Redis.Tests.JobHost.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, connection, redis.Server.Configuration, prefix, name, log, folder.File(name) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        hosts.Add(process);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var ready = process.StandardOutput.ReadLine();
        Assert.True(ready == "READY", $"{name} did not start: {ready}");
        return (process, log);
    }

    private int Starts(string host) => Lines(host).Count(l => l.StartsWith("START ", StringComparison.Ordinal));

    private string[] Lines(string host)
    {
        var path = folder.File(host + ".log");
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Each run of a message on a host: its start, its end (the kill, for a run the kill cut short), and whether it completed.</summary>
    private IEnumerable<(string Host, long Subject, long Start, long End, bool Completed)> Runs(string host, long killedAt)
    {
        var open = new Dictionary<long, long>();
        foreach (var parts in Lines(host).Select(l => l.Trim().Split(' ')).Where(p => p.Length >= 3))
        {
            var (subject, at) = (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
            if (parts[0] == "START")
            {
                open[subject] = at;
            }
            else if (open.Remove(subject, out var started))
            {
                yield return (host, subject, started, at, parts.Length < 4 || parts[3] != "Error");
            }
        }

        foreach (var (subject, started) in open)
        {
            yield return (host, subject, started, killedAt, false);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what} {describe?.Invoke()}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        foreach (var process in hosts)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone (and disposed).
            }
        }

        postgres.Dispose();
        folder.Dispose();
    }
}
