using ImageSocial.ConformanceTests;
using ImageSocial.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ImageSocial.Tests;

/// <summary>The job queue kit on the core's default queue, which claims straight from the outbox (here SQLite's).</summary>
public sealed class OutboxJobQueueConformanceTests : JobQueueTests, IDisposable
{
    private readonly TemporaryDirectory folder = new();
    private readonly List<IDisposable> stores = [];

    protected override IOutbox CreateOutbox()
    {
        var store = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = folder.File("outbox.db") }));
        stores.Add(store);
        return store;
    }

    protected override IJobQueue CreateQueue(IOutbox outbox) => new OutboxJobQueue(outbox, TimeProvider.System);

    public void Dispose()
    {
        stores.ForEach(s => s.Dispose());
        folder.Dispose();
    }
}

/// <summary>Single flight: concurrent misses of one key share one load.</summary>
public sealed class SingleFlightTests
{
    [Fact]
    public async Task Twenty_concurrent_loads_of_one_key_run_the_loader_once_and_all_get_its_value()
    {
        var flights = new Caching.SingleFlight();
        var release = new TaskCompletionSource();
        var loads = 0;
        var callers = Enumerable.Range(0, 20).Select(_ => flights.LoadAsync(["p:1@v1"], async mine =>
        {
            Interlocked.Increment(ref loads);
            await release.Task;
            return [(object?)"value"];
        }, CancellationToken.None)).ToList();
        release.SetResult();
        var results = await Task.WhenAll(callers);
        Assert.Equal(1, loads);
        Assert.All(results, r => Assert.Equal("value", r[0]));

        // Another version of the key is another load: a read after an invalidation never joins a load that began before it.
        var fresh = await flights.LoadAsync(["p:1@v2"], _ => Task.FromResult(new object?[] { "new" }), CancellationToken.None);
        Assert.Equal("new", fresh[0]);
    }

    [Fact]
    public async Task A_failed_load_fails_every_caller_that_joined_it_and_the_next_call_loads_again()
    {
        var flights = new Caching.SingleFlight();
        var release = new TaskCompletionSource();
        var first = flights.LoadAsync(["k"], async _ =>
        {
            await release.Task;
            throw new IOException("store down");
        }, CancellationToken.None);
        var joined = flights.LoadAsync(["k"], _ => throw new InvalidOperationException("must not run"), CancellationToken.None);
        release.SetResult();
        await Assert.ThrowsAsync<IOException>(() => first);
        await Assert.ThrowsAsync<IOException>(() => joined);
        Assert.Equal("again", (await flights.LoadAsync(["k"], _ => Task.FromResult(new object?[] { "again" }), CancellationToken.None))[0]);
    }
}
