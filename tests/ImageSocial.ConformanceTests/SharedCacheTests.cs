namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(ISharedCache))]
public abstract class SharedCacheTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>An empty cache (or one whose keys no other test uses).</summary>
    protected abstract ISharedCache CreateCache();

    private static string Key() => "k:" + Guid.NewGuid().ToString("N");

    [Fact]
    public virtual async Task A_miss_then_a_write_under_the_version_read_is_a_hit_with_the_same_bytes()
    {
        var cache = CreateCache();
        var (a, b) = (Key(), Key());
        var first = (await cache.GetAsync([a, b]))!;
        Assert.Equal(2, first.Count);
        Assert.All(first, v => Assert.False(v.IsHit));
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        await cache.SetAsync([new CacheWrite(a, first[0].Version, bytes, Minute), new CacheWrite(b, first[1].Version, Array.Empty<byte>(), Minute)]);
        var second = (await cache.GetAsync([b, a]))!;
        Assert.Equal(first[1].Version, second[0].Version);
        Assert.True(second[0].IsHit);
        Assert.Equal(0, second[0].Value!.Value.Length);
        Assert.Equal(bytes, second[1].Value!.Value.ToArray());
    }

    [Fact]
    public virtual async Task Invalidation_changes_the_version_and_hides_every_entry_stored_before()
    {
        var cache = CreateCache();
        var (a, b) = (Key(), Key());
        var read = (await cache.GetAsync([a, b]))!;
        await cache.SetAsync([new CacheWrite(a, read[0].Version, new byte[] { 1 }, Minute), new CacheWrite(b, read[1].Version, new byte[] { 2 }, Minute)]);
        await cache.InvalidateAsync([a]);
        var after = (await cache.GetAsync([a, b]))!;
        Assert.NotEqual(read[0].Version, after[0].Version);
        Assert.False(after[0].IsHit);
        Assert.Equal(read[1].Version, after[1].Version);
        Assert.True(after[1].IsHit);
    }

    [Fact]
    public virtual async Task A_slow_reader_that_stores_after_an_invalidation_stores_nothing_anyone_reads()
    {
        var cache = CreateCache();
        var key = Key();
        var slow = (await cache.GetAsync([key]))![0];
        await cache.InvalidateAsync([key]);
        await cache.SetAsync([new CacheWrite(key, slow.Version, new byte[] { 0xBA, 0xD0 }, Minute)]);
        var now = (await cache.GetAsync([key]))![0];
        Assert.False(now.IsHit);
        await cache.SetAsync([new CacheWrite(key, now.Version, new byte[] { 7 }, Minute)]);
        Assert.Equal(new byte[] { 7 }, (await cache.GetAsync([key]))![0].Value!.Value.ToArray());
    }

    [Fact]
    public virtual async Task Reads_of_nothing_answer_nothing()
    {
        var cache = CreateCache();
        Assert.Empty((await cache.GetAsync([]))!);
        await cache.SetAsync([]);
        await cache.InvalidateAsync([]);
    }
}
