using ImageSocial.ConformanceTests;
using ImageSocial.Imaging.Vips.Tests;
using ImageSocial.ProviderServices;
using ImageSocial.Storage.Local;
using Microsoft.Extensions.Options;

namespace ImageSocial.Tests;

/// <summary>An upload aborted after its original reached the blob store (the client went away) leaves nothing behind: not the
/// original with its EXIF and GPS, not a rendition, not a post.</summary>
public sealed class AbortedUploadTests : IDisposable
{
    private readonly TemporaryDirectory blobs = new();
    private readonly CancellationTokenSource abort = new();
    private readonly TestHost host;

    public AbortedUploadTests() =>
        host = new TestHost(providers: b => b.Services.UseProvider(_ =>
            new AbortAfterOriginal(new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = blobs.Path })), abort)));

    [Fact]
    public async Task An_upload_cancelled_after_its_original_was_stored_leaves_no_blob_and_no_post()
    {
        var alice = await host.Service.CreateUserAsync("alice", "Alice");
        var jpeg = TestImages.WithExif(TestImages.Encode(400, 300), orientation: 1, latitude: 51.5, longitude: -0.12);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            host.Service.For(alice.Id).UploadPhotoAsync(jpeg, new PhotoDraft("gone", [], Visibility.Public), abort.Token));

        var left = new List<string>();
        await foreach (var key in host.Get<IBlobStore>().ListAsync(""))
        {
            left.Add(key);
        }

        Assert.Empty(left);
        Assert.DoesNotContain(Directory.EnumerateFiles(blobs.Path, "*", SearchOption.AllDirectories), f => !Path.GetFileName(f).StartsWith('.')); // no temp file either
        Assert.Empty((await host.Service.For(alice.Id).ListPhotosAsync(alice.Id)).Items);
    }

    public void Dispose()
    {
        host.Dispose();
        abort.Dispose();
        blobs.Dispose();
    }

    /// <summary>The real local store, with the client "going away" right after an original is written.</summary>
    private sealed class AbortAfterOriginal(LocalBlobStore inner, CancellationTokenSource abort) : IBlobStore
    {
        public async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
        {
            await inner.PutAsync(key, content, contentType, cancellationToken);
            Cancel(key);
        }

        public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
        {
            await inner.PutAsync(key, content, contentType, cancellationToken);
            Cancel(key);
        }

        public Task<BlobContent?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<Uri> GetReadUrlAsync(string key, TimeSpan timeToLive, BlobReadOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GetReadUrlAsync(key, timeToLive, options, cancellationToken);

        private void Cancel(string key)
        {
            if (key.EndsWith("/original", StringComparison.Ordinal))
            {
                abort.Cancel();
            }
        }
    }
}
