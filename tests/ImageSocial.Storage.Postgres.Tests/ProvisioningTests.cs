using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageSocial.Storage.Postgres.Tests;

/// <summary>A host registers the provider by configuration, starts creating the schemas without waiting for them, and reports its
/// health as degraded, with progress, until they exist.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProvisioningTests(PostgresServers servers)
{
    private const long ProvisioningLock = 0x1A6E5_0C1A1;

    [Fact]
    public async Task Health_is_degraded_with_progress_while_the_schemas_are_created_then_healthy()
    {
        var options = servers.NewOptions(shards: 16);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks();
        new Builder(services).AddPostgresMetadata(o =>
        {
            o.LogicalShardCount = options.LogicalShardCount;
            foreach (var server in options.Servers)
            {
                o.Servers.Add(server);
            }
        });
        await using var provider = services.BuildServiceProvider();
        Assert.IsType<PostgresShardMap>(provider.GetRequiredService<IShardMap>());

        // Another process is provisioning the same cluster: this one waits for its advisory lock.
        await using (var other = new NpgsqlConnection(options.Servers[0].ConnectionString + ";Pooling=false")) // closing it releases the lock
        {
            await other.OpenAsync();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({ProvisioningLock})", other))
            {
                await take.ExecuteNonQueryAsync();
            }

            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None); // returns at once: the schemas come in the background
            }

            var health = provider.GetRequiredService<HealthCheckService>();
            var waiting = (await health.CheckHealthAsync()).Entries[PostgresBuilderExtensions.HealthCheckName];
            Assert.Equal(HealthStatus.Degraded, waiting.Status);
            Assert.StartsWith("Provisioning:", waiting.Description, StringComparison.Ordinal);
        }

        var store = provider.GetRequiredService<PostgresMetadataStore>();
        await store.EnsureCreatedAsync(); // the lock was released with its connection
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries[PostgresBuilderExtensions.HealthCheckName].Status);
        Assert.Equal(16, store.Cluster.Progress.Created);
    }

    [Fact]
    public async Task A_cluster_from_before_videos_gains_the_new_photo_columns_in_place_and_keeps_its_photos()
    {
        var options = servers.NewOptions(shards: 4);
        var owner = ShardingTests.NewUser("upgraded", 0);
        var before = ShardingTests.NewPhoto(owner, "from the previous release");
        using (var first = new PostgresMetadataStore(Options.Create(options)))
        {
            await first.CreateAsync(owner);
            await first.CreateAsync(before, []);
        }

        // As the previous release left them: no video or share_location column in the servers' photo index nor in any shard's photos.
        foreach (var server in options.Servers)
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("""
                DO $$
                DECLARE s name;
                BEGIN
                    FOR s IN SELECT table_schema FROM information_schema.columns WHERE table_name = 'photos' AND column_name = 'video' LOOP
                        EXECUTE format('ALTER TABLE %I.photos DROP COLUMN video, DROP COLUMN share_location', s);
                    END LOOP;
                END $$;
                ALTER TABLE imagesocial.photo_index DROP COLUMN video, DROP COLUMN share_location;
                """, connection);
            await drop.ExecuteNonQueryAsync();
        }

        using var upgraded = new PostgresMetadataStore(Options.Create(options));
        var video = ShardingTests.NewPhoto(owner, "after the upgrade") with
        {
            Video = new VideoInfo { Container = "mov", VideoCodec = "h264", PixelFormat = "yuv420p", DurationMs = 1000, Width = 64, Height = 48, FrameRate = 25, StreamCount = 1 },
            ShareLocation = true,
        };
        await upgraded.CreateAsync(video, []);

        Assert.Null((await upgraded.GetAsync(before.Id))!.Video);
        Assert.Equal(video.Video, (await upgraded.GetAsync(video.Id))!.Video);
        Assert.True((await upgraded.GetAsync(video.Id))!.ShareLocation);
        Assert.False((await upgraded.GetAsync(before.Id))!.ShareLocation);
        Assert.Equal(2, (await upgraded.ListByOwnerAsync(owner.Id, owner.Id, new PageRequest())).Items.Count);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_makes_the_cluster_degraded_and_the_catalog_unhealthy()
    {
        var options = servers.NewOptions(shards: 8);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks();
        new Builder(services).AddPostgresMetadata(o =>
        {
            o.LogicalShardCount = options.LogicalShardCount;
            o.Servers.Add(options.Servers[0]);
            o.Servers.Add(options.Servers[1]);
        });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<PostgresMetadataStore>().EnsureCreatedAsync();
        var health = provider.GetRequiredService<HealthCheckService>();
        await servers.WhileBIsDownAsync(async () =>
            Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync()).Entries[PostgresBuilderExtensions.HealthCheckName].Status));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries[PostgresBuilderExtensions.HealthCheckName].Status);
    }

    /// <summary>The provider registered on its own, as a provider author's test would.</summary>
    private sealed record Builder(IServiceCollection Services) : IImageSocialBuilder;
}
