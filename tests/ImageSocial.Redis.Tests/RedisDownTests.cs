using ImageSocial.Imaging.Vips.Tests;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Redis.Tests;

/// <summary>Redis killed mid-run: reads and writes go on against the stores, the metric counts it, nothing a write changed while Redis was
/// away is served stale when it comes back, and a Redis that restarted empty is used again without restarting the host.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisDownTests : IDisposable
{
    private readonly RedisServer server = RedisServer.Start();
    private readonly CacheMeters meters = new();
    private readonly CachedHost host;

    public RedisDownTests() => host = new CachedHost(new RedisOptions { Configuration = server.Configuration + ",connectTimeout=1000,asyncTimeout=1000", KeyPrefix = "down:" });

    [Fact]
    public async Task With_Redis_killed_nothing_fails_and_a_restarted_empty_Redis_serves_again()
    {
        if (!server.IsOwned)
        {
            return; // IMAGESOCIAL_TEST_REDIS names a server this test cannot kill.
        }

        var sdk = host.Service;
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var viewer = await sdk.CreateUserAsync("viewer", "Viewer");
        var photo = await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(120, 90), new PhotoDraft("while down"));
        await sdk.For(viewer.Id).GetPhotoAsync(photo.Id);
        await sdk.For(viewer.Id).GetPhotoAsync(photo.Id);
        Assert.True(meters.Hits > 0);

        server.Kill();
        Assert.Equal(photo.Id, (await sdk.For(viewer.Id).GetPhotoAsync(photo.Id)).Id);
        await sdk.For(viewer.Id).LikeAsync(photo.Id); // its invalidation cannot be delivered
        await sdk.For(owner.Id).UpdatePhotoAsync(photo.Id, new PhotoUpdate(Title: "renamed while down"));
        var fresh = await sdk.For(viewer.Id).GetPhotoAsync(photo.Id);
        Assert.Equal((1L, "renamed while down"), (fresh.LikeCount, fresh.Title));
        Assert.Empty((await sdk.For(viewer.Id).GetFeedAsync()).Items);
        Assert.True(meters.Unavailable > 0, "reads that went to the stores are counted");

        server.Restart();
        var hitsBefore = meters.Hits;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (meters.Hits == hitsBefore && DateTime.UtcNow < deadline)
        {
            var seen = await sdk.For(viewer.Id).GetPhotoAsync(photo.Id);
            Assert.Equal((1L, "renamed while down"), (seen.LikeCount, seen.Title));
            await Task.Delay(100);
        }

        Assert.True(meters.Hits > hitsBefore, "the restarted Redis serves the cache again");
        await sdk.For(owner.Id).UpdatePhotoAsync(photo.Id, new PhotoUpdate(Visibility: Visibility.Private));
        await Assert.ThrowsAsync<NotFoundException>(() => sdk.For(viewer.Id).GetPhotoAsync(photo.Id));
    }

    [Fact]
    public async Task An_invalidation_lost_while_Redis_was_unreachable_is_paid_before_anything_is_read_from_it_again()
    {
        if (!server.IsOwned)
        {
            return; // IMAGESOCIAL_TEST_REDIS names a server this test cannot kill.
        }

        var sdk = host.Service;
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var viewer = await sdk.CreateUserAsync("viewer", "Viewer");
        var photo = await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(120, 90), new PhotoDraft("public"));
        await sdk.For(viewer.Id).GetPhotoAsync(photo.Id);

        // Redis keeps its data but this host cannot reach it while the write happens (the server is paused, as a partition would).
        server.Pause();
        await sdk.For(owner.Id).UpdatePhotoAsync(photo.Id, new PhotoUpdate(Visibility: Visibility.Private));
        server.Resume();

        // The cached public record is still in Redis; the host owes its invalidation and replaces the generation before reading again.
        await Assert.ThrowsAsync<NotFoundException>(() => sdk.For(viewer.Id).GetPhotoAsync(photo.Id));
        Assert.Empty(await sdk.For(viewer.Id).GetPhotosAsync([photo.Id]));
    }

    public void Dispose()
    {
        host.Dispose();
        meters.Dispose();
        server.Dispose();
    }
}
