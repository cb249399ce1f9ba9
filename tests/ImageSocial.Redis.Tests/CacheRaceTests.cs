using ImageSocial.Imaging.Vips.Tests;
using StackExchange.Redis;

namespace ImageSocial.Redis.Tests;

/// <summary>The classic cache-aside race, interleaved deterministically: a reader loads a photo, the owner makes it private (the write
/// commits and invalidates), then the reader stores what it loaded. Nobody may be shown the photo afterwards.</summary>
[Collection(RedisCollection.Name)]
public sealed class CacheRaceTests(RedisFixture redis) : IDisposable
{
    private readonly PausingPhotoStore.Gate gate = new();
    private readonly RedisOptions options = redis.NewOptions();
    private CachedHost? host;

    [Fact]
    public async Task A_slow_read_that_stores_after_a_visibility_change_never_shows_the_photo_again()
    {
        host = new CachedHost(options, services => PausingPhotoStore.Install(services, gate));
        var sdk = host.Service;
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var slowViewer = await sdk.CreateUserAsync("slow", "Slow");
        var laterViewer = await sdk.CreateUserAsync("later", "Later");
        var photo = await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(120, 90), new PhotoDraft("race"));

        var release = gate.Arm();
        var slowRead = sdk.For(slowViewer.Id).GetPhotoAsync(photo.Id); // misses, reads the store (public), and is held there
        await gate.Loaded.Task;
        await sdk.For(owner.Id).UpdatePhotoAsync(photo.Id, new PhotoUpdate(Visibility: Visibility.Private));
        release.SetResult();
        Assert.Equal(photo.Id, (await slowRead).Id); // it read before the write: it may answer what it read

        // The slow reader offered its stale record under the version it read before the write; the cache refused it (the version had
        // changed), so the next read misses, loads the private record, and later reads are served from it.
        var readsBefore = gate.Reads;
        await Assert.ThrowsAsync<NotFoundException>(() => sdk.For(laterViewer.Id).GetPhotoAsync(photo.Id));
        Assert.Empty(await sdk.For(laterViewer.Id).GetPhotosAsync([photo.Id]));
        await Assert.ThrowsAsync<NotFoundException>(() => sdk.For(slowViewer.Id).GetPhotoAsync(photo.Id));
        Assert.Equal(readsBefore + 1, gate.Reads);
        Assert.Equal(1, await CountEntriesAsync(photo.Id));
    }

    private async Task<int> CountEntriesAsync(PhotoId photo)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options.Configuration);
        var server = connection.GetServers()[0];
        var count = 0;
        await foreach (var _ in server.KeysAsync(pattern: $"{options.KeyPrefix}c:p:{photo.Value}|*"))
        {
            count++;
        }

        return count;
    }

    public void Dispose() => host?.Dispose();
}
