using ImageSocial.ConformanceTests;
using ImageSocial.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageSocial.Redis.Tests;

/// <summary>The job queue kit on Redis: every queue of a test is a host of its own (its own connection and pump) on one SQLite outbox and
/// one key prefix.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisJobQueueConformanceTests(RedisFixture redis) : JobQueueTests, IDisposable
{
    private readonly TemporaryDirectory folder = new();
    private readonly RedisOptions options = WithShortIdle(redis.NewOptions());
    private readonly List<IDisposable> owned = [];

    protected override IOutbox CreateOutbox()
    {
        var store = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = folder.File("outbox.db") }));
        owned.Add(store);
        return store;
    }

    protected override IJobQueue CreateQueue(IOutbox outbox)
    {
        var connection = redis.NewConnection(options);
        owned.Add(connection);
        return new RedisJobQueue(connection, outbox, TimeProvider.System, NullLogger<RedisJobQueue>.Instance);
    }

    public void Dispose()
    {
        owned.AsEnumerable().Reverse().ToList().ForEach(o => o.Dispose());
        folder.Dispose();
    }

    private static RedisOptions WithShortIdle(RedisOptions options)
    {
        options.JobClaimIdle = TimeSpan.FromSeconds(1);
        return options;
    }
}
