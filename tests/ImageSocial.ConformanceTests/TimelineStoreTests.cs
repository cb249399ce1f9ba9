namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(ITimelineStore))]
public abstract class TimelineStoreTests
{
    private static long next = 1_000_000;

    /// <summary>An empty store.</summary>
    protected abstract ITimelineStore CreateStore();

    /// <summary>The capacity the store was configured with.</summary>
    protected abstract int Capacity { get; }

    /// <summary>User ids on logical shard 0, which every sharded store has.</summary>
    private static UserId User() => new(SnowflakeId.Compose(Interlocked.Increment(ref next), 0, 0));

    /// <summary>Photo ids that grow like real ones (time-ordered, far above 2^53, where a double could not tell neighbours apart).</summary>
    private static PhotoId Photo() => new((1L << 60) + Interlocked.Increment(ref next));

    [Fact]
    public virtual async Task Pushed_photos_page_newest_first_by_exact_id()
    {
        var store = CreateStore();
        var (reader, author) = (User(), User());
        var photos = Enumerable.Range(0, 7).Select(_ => Photo()).ToList();
        foreach (var photo in photos.OrderBy(_ => Random.Shared.Next()))
        {
            await store.AddAsync([reader], new TimelineEntry(photo, author), Capacity);
        }

        var first = await store.ReadAsync(reader, null, 3, Capacity);
        Assert.Equal(photos.AsEnumerable().Reverse().Take(3), first.Select(e => e.Photo));
        Assert.All(first, e => Assert.Equal(author, e.Author));
        var second = await store.ReadAsync(reader, first[^1].Photo, 3, Capacity);
        Assert.Equal(photos.AsEnumerable().Reverse().Skip(3).Take(3), second.Select(e => e.Photo));
        var last = await store.ReadAsync(reader, second[^1].Photo, 3, Capacity);
        Assert.Equal([photos[0]], last.Select(e => e.Photo));
        Assert.Empty(await store.ReadAsync(reader, photos[0], 3, Capacity));
        Assert.Empty(await store.ReadAsync(User(), null, 3, Capacity));
    }

    [Fact]
    public virtual async Task A_push_reaches_every_owner_once_and_is_idempotent()
    {
        var store = CreateStore();
        var owners = Enumerable.Range(0, 1200).Select(_ => User()).ToList();
        var entry = new TimelineEntry(Photo(), User());
        await store.AddAsync(owners, entry, Capacity);
        await store.AddAsync(owners.Take(10).ToList(), entry, Capacity);
        foreach (var owner in new[] { owners[0], owners[600], owners[^1] })
        {
            Assert.Equal([entry], await store.ReadAsync(owner, null, 10, Capacity));
        }
    }

    [Fact]
    public virtual async Task A_timeline_keeps_only_its_newest_entries_up_to_capacity()
    {
        var store = CreateStore();
        var (reader, author) = (User(), User());
        var photos = Enumerable.Range(0, Capacity + 5).Select(_ => Photo()).ToList();
        await store.AddManyAsync(reader, photos.Take(Capacity).Select(p => new TimelineEntry(p, author)).ToList(), Capacity);
        foreach (var photo in photos.Skip(Capacity))
        {
            await store.AddAsync([reader], new TimelineEntry(photo, author), Capacity);
        }

        var all = await store.ReadAsync(reader, null, Capacity * 2, Capacity);
        Assert.Equal(Capacity, all.Count);
        Assert.Equal(photos.AsEnumerable().Reverse().Take(Capacity), all.Select(e => e.Photo));
    }

    [Fact]
    public virtual async Task Removing_an_author_leaves_the_others()
    {
        var store = CreateStore();
        var (reader, gone, kept) = (User(), User(), User());
        var goneEntries = Enumerable.Range(0, 4).Select(_ => new TimelineEntry(Photo(), gone)).ToList();
        var keptEntries = Enumerable.Range(0, 3).Select(_ => new TimelineEntry(Photo(), kept)).ToList();
        await store.AddManyAsync(reader, [.. goneEntries, .. keptEntries], Capacity);
        Assert.Equal(4, await store.RemoveAuthorAsync(reader, gone));
        Assert.Equal(0, await store.RemoveAuthorAsync(reader, gone));
        Assert.Equal(keptEntries.AsEnumerable().Reverse(), await store.ReadAsync(reader, null, 10, Capacity));
    }

    [Fact]
    public virtual async Task Removing_a_photo_reaches_every_timeline_it_was_pushed_to()
    {
        var store = CreateStore();
        var author = User();
        var readers = Enumerable.Range(0, 5).Select(_ => User()).ToList();
        var (removed, kept) = (new TimelineEntry(Photo(), author), new TimelineEntry(Photo(), author));
        await store.AddAsync(readers.Take(3).ToList(), removed, Capacity);
        await store.AddManyAsync(readers[4], [removed], Capacity);
        await store.AddAsync(readers, kept, Capacity);
        Assert.Equal(4, await store.RemovePhotoAsync(removed.Photo));
        foreach (var reader in readers)
        {
            Assert.Equal([kept], await store.ReadAsync(reader, null, 10, Capacity));
        }

        Assert.Equal(0, await store.RemovePhotoAsync(removed.Photo));
    }

    [Fact]
    public virtual async Task Clear_removes_one_timeline()
    {
        var store = CreateStore();
        var (a, b) = (User(), User());
        var entry = new TimelineEntry(Photo(), User());
        await store.AddAsync([a, b], entry, Capacity);
        Assert.True(await store.ClearAsync(a));
        Assert.False(await store.ClearAsync(a));
        Assert.Empty(await store.ReadAsync(a, null, 10, Capacity));
        Assert.Equal([entry], await store.ReadAsync(b, null, 10, Capacity));
    }

    [Fact]
    public virtual async Task Active_marks_keep_the_latest_time_and_answer_by_cut_off()
    {
        var store = CreateStore();
        var (recent, old, never) = (User(), User(), User());
        var now = DateTimeOffset.UtcNow;
        await store.MarkActiveAsync(recent, now.AddDays(-10));
        await store.MarkActiveAsync(recent, now.AddMinutes(-1));
        await store.MarkActiveAsync(recent, now.AddDays(-20));
        await store.MarkActiveAsync(old, now.AddDays(-3));
        Assert.Equal([recent], await store.GetActiveAsync([recent, old, never], now.AddDays(-1)));
        Assert.Equal(new HashSet<UserId> { recent, old }, (await store.GetActiveAsync([recent, old, never], now.AddDays(-7))).ToHashSet());
        Assert.Empty(await store.GetActiveAsync([], now));
    }

    [Fact]
    public virtual async Task A_read_never_returns_entries_beyond_the_capacity_it_is_given()
    {
        var store = CreateStore();
        var (reader, author) = (User(), User());
        var photos = Enumerable.Range(0, 12).Select(_ => Photo()).ToList();
        foreach (var photo in photos)
        {
            await store.AddAsync([reader], new TimelineEntry(photo, author), Capacity);
        }

        var newest = photos.AsEnumerable().Reverse().ToList();
        Assert.Equal(newest.Take(5), (await store.ReadAsync(reader, null, 100, 5)).Select(e => e.Photo));
        Assert.Equal(newest.Skip(3).Take(2), (await store.ReadAsync(reader, newest[2], 100, 5)).Select(e => e.Photo));
        Assert.Empty(await store.ReadAsync(reader, newest[4], 100, 5));
    }

    [Fact]
    public virtual async Task Pulled_authors_are_recorded_and_forgotten()
    {
        var store = CreateStore();
        var (big, other) = (User(), User());
        await store.SetPulledAsync(big, true);
        await store.SetPulledAsync(big, true);
        await store.SetPulledAsync(other, true);
        await store.SetPulledAsync(other, false);
        var pulled = await store.GetPulledAsync();
        Assert.Contains(big, pulled);
        Assert.DoesNotContain(other, pulled);
    }
}

/// <summary>The timeline kit for a metadata store that also holds timelines: a fresh store for each <see cref="CreateStore"/>, disposed
/// with the test.</summary>
public abstract class MetadataTimelineStoreTests : TimelineStoreTests, IDisposable
{
    private readonly List<MetadataStores> owned = [];

    protected override int Capacity => 25;

    /// <summary>Empty metadata stores whose graph also serves <see cref="ITimelineStore"/>.</summary>
    protected abstract MetadataStores CreateStores();

    protected override ITimelineStore CreateStore()
    {
        var stores = CreateStores();
        owned.Add(stores);
        return (ITimelineStore)stores.Graph;
    }

    public void Dispose() => owned.ForEach(s => s.Dispose());
}
