using ImageSocial.ConformanceTests;
using ImageSocial.Imaging.Vips.Tests;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ImageSocial.Redis.Tests;

/// <summary>The job runner with its work handed out through Redis: uploads get indexed through the stream, and without a reachable Redis
/// the runner claims from the outbox as it does without Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisJobsTests(RedisFixture redis) : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    [Fact]
    public async Task Uploads_are_indexed_through_the_stream_by_the_running_runner()
    {
        var options = redis.NewOptions();
        await using var provider = Host(options.Configuration, options.KeyPrefix);
        var sdk = provider.GetRequiredService<ImageSocialService>();
        await sdk.Jobs.StartAsync(CancellationToken.None);
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var photos = new List<Photo>();
        for (var i = 0; i < 5; i++)
        {
            photos.Add(await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(140, 100, "jpeg", (x, y) => ((byte)(x * i), (byte)y, 9)), new PhotoDraft($"p{i}")));
        }

        await sdk.Jobs.WaitUntilIdleAsync();
        var similar = await sdk.For(owner.Id).FindSimilarAsync(photos[0].Id);
        Assert.Equal(photos.Skip(1).Select(p => p.Id).Order(), similar.Select(s => s.Photo.Id).Order());

        await using var connection = await ConnectionMultiplexer.ConnectAsync(options.Configuration);
        var consumers = await connection.GetDatabase().StreamConsumerInfoAsync(options.KeyPrefix + "jobs", "runners");
        Assert.Contains(consumers, c => c.Name == sdk.Jobs.Name);
        // Every entry handed out was acknowledged; what the outbox still holds is only the uploads' delayed orphan checks.
        Assert.Equal(0, (await connection.GetDatabase().StreamPendingAsync(options.KeyPrefix + "jobs", "runners")).PendingMessageCount);
        var stats = await provider.GetRequiredService<IOutbox>().GetStatsAsync(DateTimeOffset.UtcNow);
        Assert.Equal((0L, 0L), (stats.Due, stats.InFlight));
    }

    [Fact]
    public async Task Without_a_reachable_Redis_the_runner_claims_from_the_outbox_directly()
    {
        await using var provider = Host("127.0.0.1:1,connectTimeout=300", "nowhere:");
        var sdk = provider.GetRequiredService<ImageSocialService>();
        await sdk.Jobs.StartAsync(CancellationToken.None);
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var first = await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(140, 100), new PhotoDraft("one"));
        var second = await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(100, 140), new PhotoDraft("two"));
        await sdk.Jobs.WaitUntilIdleAsync();
        Assert.Equal([second.Id], (await sdk.For(owner.Id).FindSimilarAsync(first.Id)).Select(s => s.Photo.Id));
    }

    private ServiceProvider Host(string configuration, string prefix)
    {
        var services = new ServiceCollection();
        services.AddImageSocial(o => o.Jobs.PollInterval = TimeSpan.FromMilliseconds(200))
            .AddRedisJobs(o => (o.Configuration, o.KeyPrefix) = (configuration, prefix))
            .AddEmbeddedDefaults(folder.Path);
        return services.BuildServiceProvider();
    }

    public void Dispose() => folder.Dispose();
}
