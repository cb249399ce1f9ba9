using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres.Tests;

/// <summary>Crashes and transient failures of real servers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FaultTests(PostgresServers servers)
{
    [Fact]
    public async Task A_server_killed_mid_write_leaves_every_photo_whole_or_absent()
    {
        var options = servers.NewOptions(shards: 4);
        options.MaxRetries = 0;
        var database = PostgresServers.DatabaseOf(options);
        using var store = new PostgresMetadataStore(Options.Create(options));
        var owner = ShardingTests.NewUser("crashy", 1);
        await store.CreateAsync(owner);
        var acknowledged = new List<PhotoId>();
        var attempted = new List<PhotoId>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                var photo = ShardingTests.NewPhoto(owner, $"photo {i}", Visibility.Public, "crash");
                attempted.Add(photo.Id);
                try
                {
                    await store.CreateAsync(photo, [OutboxMessage.Create(OutboxKinds.PhotoCreated, photo.Id.Value)]);
                    acknowledged.Add(photo.Id);
                }
                catch (PostgresStoreException)
                {
                    return;
                }
            }
        });

        while (acknowledged.Count < 50)
        {
            await Task.Delay(10);
        }

        servers.B.Kill();
        await writer;
        servers.B.Start();

        // Every acknowledged photo survived the crash; the one in flight is either complete or absent: photo row, search row and
        // outbox message together.
        Assert.All(acknowledged, id => Assert.NotNull(store.GetAsync(id).GetAwaiter().GetResult()));
        var photos = servers.B.Scalar<long>("SELECT count(*) FROM shard_0001.photos", database);
        Assert.InRange(photos, acknowledged.Count, acknowledged.Count + 1);
        Assert.Equal(photos, servers.B.Scalar<long>("SELECT count(*) FROM imagesocial.photo_index WHERE shard = 1", database));
        Assert.Equal(photos, servers.B.Scalar<long>("SELECT count(*) FROM imagesocial.outbox WHERE kind = 'photo.created'", database));
        Assert.Equal(0, servers.B.Scalar<long>("""
            SELECT count(*) FROM shard_0001.photos p
            WHERE NOT EXISTS (SELECT 1 FROM imagesocial.photo_index s WHERE s.id = p.id)
               OR NOT EXISTS (SELECT 1 FROM imagesocial.outbox o WHERE o.subject = p.id)
            """, database));
    }

    [Fact]
    public async Task A_process_starting_while_one_server_is_down_serves_the_users_of_the_others()
    {
        var options = servers.NewOptions(shards: 4);
        var onA = ShardingTests.NewUser("starter_a", 0);
        var onB = ShardingTests.NewUser("starter_b", 1);
        using (var first = new PostgresMetadataStore(Options.Create(options)))
        {
            await first.CreateAsync(onA);
            await first.CreateAsync(onB);
        }

        await servers.WhileBIsDownAsync(async () =>
        {
            using var restarted = new PostgresMetadataStore(Options.Create(options));
            var photo = ShardingTests.NewPhoto(onA, "while b is down");
            await restarted.CreateAsync(photo, []);
            Assert.Single((await restarted.ListByOwnerAsync(onA.Id, onA.Id, new PageRequest())).Items);
            await PostgresServers.AssertUnavailableAsync(() => restarted.GetAsync(onB.Id));
        });
    }

    [Fact]
    public async Task Dropped_connections_are_retried_with_backoff()
    {
        var options = servers.NewOptions(shards: 4);
        var database = PostgresServers.DatabaseOf(options);
        using var store = new PostgresMetadataStore(Options.Create(options));
        var owner = ShardingTests.NewUser("flaky", 0);
        await store.CreateAsync(owner);
        for (var round = 0; round < 3; round++)
        {
            // Every pooled connection to a is cut, as a server restart or a network blip would.
            servers.A.Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()");
            var photo = ShardingTests.NewPhoto(owner, $"after cut {round}");
            await store.CreateAsync(photo, []);
            Assert.NotNull(await store.GetAsync(photo.Id));
        }

        Assert.Equal(3, (await store.ListByOwnerAsync(owner.Id, owner.Id, new PageRequest())).Items.Count);
    }
}
