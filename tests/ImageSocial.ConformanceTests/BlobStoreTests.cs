namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IBlobStore))]
public abstract class BlobStoreTests
{
    /// <summary>An empty store.</summary>
    protected abstract IBlobStore CreateStore();

    /// <summary>The size of the object the streaming tests put: larger than the provider's threshold for uploads in parts.</summary>
    protected virtual int LargeObjectBytes => 12 << 20;

    [Fact]
    public virtual async Task Put_get_round_trips_bytes_and_type()
    {
        var store = CreateStore();
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray();
        await store.PutAsync("u1/p1/original", bytes, "image/png");
        using var blob = await store.GetAsync("u1/p1/original");
        Assert.NotNull(blob);
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal("image/png", blob.ContentType);
        Assert.Equal(bytes.Length, blob.Length);
    }

    [Fact]
    public virtual async Task Put_replaces_and_delete_is_idempotent()
    {
        var store = CreateStore();
        await store.PutAsync("a/b", new byte[] { 1 }, "x/y");
        await store.PutAsync("a/b", new byte[] { 2, 3 }, "x/y");
        Assert.Equal(2, (await store.GetAsync("a/b"))!.Length);
        Assert.True(await store.DeleteAsync("a/b"));
        Assert.False(await store.DeleteAsync("a/b"));
        Assert.False(await store.DeleteAsync("never/made/folder/blob"));
        Assert.False(await store.ExistsAsync("a/b"));
        Assert.Null(await store.GetAsync("a/b"));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("a/./b")]
    [InlineData(".signing-key")]
    [InlineData("u/.hidden")]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a\0b")]
    public virtual async Task Hostile_keys_are_rejected(string key)
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<ValidationException>(() => store.PutAsync(key, new byte[] { 1 }, "x/y"));
        await Assert.ThrowsAsync<ValidationException>(() => store.GetAsync(key));
        await Assert.ThrowsAsync<ValidationException>(() => store.DeleteAsync(key));
    }

    [Fact]
    public virtual async Task List_by_prefix()
    {
        var store = CreateStore();
        await store.PutAsync("u1/p1/thumb", new byte[] { 1 }, "x/y");
        await store.PutAsync("u1/p2/thumb", new byte[] { 1 }, "x/y");
        await store.PutAsync("u2/p3/thumb", new byte[] { 1 }, "x/y");
        var keys = new List<string>();
        await foreach (var key in store.ListAsync("u1/"))
        {
            keys.Add(key);
        }

        Assert.Equal(["u1/p1/thumb", "u1/p2/thumb"], keys.Order());
    }

    [Fact]
    public virtual async Task Read_url_names_the_key()
    {
        var store = CreateStore();
        await store.PutAsync("u1/p1/feed", new byte[] { 1 }, "image/jpeg");
        var url = await store.GetReadUrlAsync("u1/p1/feed", TimeSpan.FromMinutes(5));
        Assert.Contains("u1/p1/feed", url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public virtual async Task A_stream_of_unknown_length_is_stored_whole()
    {
        var store = CreateStore();
        using (var small = new GeneratedStream(1000, seed: 3))
        {
            await store.PutAsync("u1/v1/original", small, "video/mp4");
        }

        using (var large = new GeneratedStream(LargeObjectBytes, seed: 7))
        {
            await store.PutAsync("u1/v2/original", large, "video/mp4");
        }

        foreach (var (key, length, seed) in new[] { ("u1/v1/original", 1000, 3), ("u1/v2/original", LargeObjectBytes, 7) })
        {
            using var blob = await store.GetAsync(key);
            Assert.NotNull(blob);
            Assert.Equal(("video/mp4", (long)length), (blob.ContentType, blob.Length));
            Assert.True(await GeneratedStream.MatchesAsync(blob.Content, length, seed), $"{key} came back different");
        }
    }

    [Fact]
    public virtual async Task A_cancelled_streamed_put_leaves_nothing_behind()
    {
        var store = CreateStore();
        using var cancel = new CancellationTokenSource();
        using var stream = new GeneratedStream(LargeObjectBytes, seed: 5) { OnRead = read => { if (read > LargeObjectBytes * 2 / 3) { cancel.Cancel(); } } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutAsync("u1/v3/original", stream, "video/mp4", cancel.Token));
        Assert.False(await store.ExistsAsync("u1/v3/original"));
        var keys = new List<string>();
        await foreach (var key in store.ListAsync("u1/"))
        {
            keys.Add(key);
        }

        Assert.Empty(keys);
    }

    [Fact]
    public virtual async Task Read_url_works_with_response_options()
    {
        var store = CreateStore();
        await store.PutAsync("u1/p1/original", new byte[] { 1, 2 }, "image/jpeg");
        var url = await store.GetReadUrlAsync("u1/p1/original", TimeSpan.FromMinutes(5), new BlobReadOptions("image/jpeg", "p1 original.jpg", Attachment: true));
        Assert.Contains("u1/p1/original", url.ToString(), StringComparison.Ordinal);
        Assert.Equal("attachment; filename=\"p1original.jpg\"", new BlobReadOptions(FileName: "p1 original.jpg", Attachment: true).ContentDisposition);
    }
}
