using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Local.Tests;

public sealed class LocalBlobStoreConformanceTests : BlobStoreTests, IDisposable
{
    private readonly TemporaryDirectory folder = new();

    protected override IBlobStore CreateStore() => new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = folder.Path }));

    public void Dispose() => folder.Dispose();
}

public class LocalTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(LocalBlobStore)];
}

public sealed class LocalBlobStoreSigningTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    [Fact]
    public async Task Signed_url_validates_until_it_expires_and_not_for_another_key()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var store = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = folder.Path }), clock);
        var url = await store.GetReadUrlAsync("u/p/thumb", TimeSpan.FromMinutes(1));
        var query = System.Web.HttpUtility.ParseQueryString(url.OriginalString[(url.OriginalString.IndexOf('?') + 1)..]);
        Assert.StartsWith("/blobs/u/p/thumb?", url.OriginalString, StringComparison.Ordinal);
        Assert.True(store.ValidateReadUrl("u/p/thumb", query["expires"], query["signature"]));
        Assert.False(store.ValidateReadUrl("u/p/original", query["expires"], query["signature"]));
        Assert.False(store.ValidateReadUrl("u/p/thumb", query["expires"] + "0", query["signature"]));
        clock.Now = clock.Now.AddMinutes(2);
        Assert.False(store.ValidateReadUrl("u/p/thumb", query["expires"], query["signature"]));
    }

    [Fact]
    public void Signing_key_is_generated_once_and_kept()
    {
        _ = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = folder.Path }));
        var key = File.ReadAllBytes(Path.Combine(folder.Path, ".signing-key"));
        _ = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = folder.Path }));
        Assert.Equal(32, key.Length);
        Assert.Equal(key, File.ReadAllBytes(Path.Combine(folder.Path, ".signing-key")));
    }

    public void Dispose() => folder.Dispose();
}
