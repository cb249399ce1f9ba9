namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IEmbeddingStore))]
public abstract class EmbeddingStoreTests : MetadataSuite
{
    private const string Space = "test-space@4";

    private static float[] Vector(float seed) => [seed, seed + 1, -seed, 0.5f];

    [Fact]
    public virtual async Task Vectors_round_trip_by_photo_and_space_and_are_replaced_in_place()
    {
        var owner = await Stores.UserAsync("eowner");
        var (a, b) = (await Stores.PhotoAsync(owner, "a"), await Stores.PhotoAsync(owner, "b"));
        Assert.Equal(2, await Stores.Embeddings.SaveEmbeddingsAsync(Space, [new(a.Id, Vector(1)), new(b.Id, Vector(2))]));
        await Stores.Embeddings.SaveEmbeddingsAsync(Space, [new(a.Id, Vector(3))]);
        await Stores.Embeddings.SaveEmbeddingsAsync("other-space@4", [new(b.Id, Vector(9))]);

        var read = (await Stores.Embeddings.GetEmbeddingsAsync(Space, [a.Id, b.Id, new PhotoId(MetadataStores.NewId())])).ToDictionary(e => e.Photo);
        Assert.Equal(2, read.Count);
        Assert.Equal(Vector(3), read[a.Id].Vector.ToArray());
        Assert.Equal(Vector(2), read[b.Id].Vector.ToArray());
        Assert.Equal(Vector(9), (await Stores.Embeddings.GetEmbeddingsAsync("other-space@4", [b.Id])).Single().Vector.ToArray());
    }

    [Fact]
    public virtual async Task A_vector_of_a_missing_photo_is_dropped_and_a_purged_photo_takes_its_vectors_along()
    {
        var owner = await Stores.UserAsync("powner");
        var photo = await Stores.PhotoAsync(owner, "p");
        Assert.Equal(0, await Stores.Embeddings.SaveEmbeddingsAsync(Space, [new(new PhotoId(MetadataStores.NewId()), Vector(1))]));
        await Stores.Embeddings.SaveEmbeddingsAsync(Space, [new(photo.Id, Vector(1))]);
        Assert.True(await Stores.Photos.SoftDeleteAsync(photo.Id, DateTimeOffset.UtcNow.AddDays(-40), []));
        Assert.Single(await Stores.Photos.PurgeDeletedAsync(DateTimeOffset.UtcNow.AddDays(-30), 10));
        Assert.Empty(await Stores.Embeddings.GetEmbeddingsAsync(Space, [photo.Id]));
        Assert.Empty((await Stores.Embeddings.ListEmbeddingsAsync(Space, new PageRequest())).Items);
    }

    [Fact]
    public virtual async Task Listing_pages_through_every_vector_of_a_space_once_in_photo_order()
    {
        var owner = await Stores.UserAsync("lowner");
        var photos = new List<Photo>();
        for (var i = 0; i < 7; i++)
        {
            photos.Add(await Stores.PhotoAsync(owner, $"l{i}"));
        }

        await Stores.Embeddings.SaveEmbeddingsAsync(Space, photos.Select((p, i) => new PhotoEmbedding(p.Id, Vector(i))).ToList());
        var seen = new List<PhotoEmbedding>();
        string? cursor = null;
        do
        {
            var page = await Stores.Embeddings.ListEmbeddingsAsync(Space, new PageRequest(cursor, 3));
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(photos.Select(p => p.Id.Value).Order(), seen.Select(e => e.Photo.Value));
    }
}

[ConformanceSuite(typeof(IPhotoChangeFeed))]
public abstract class PhotoChangeFeedTests : MetadataSuite
{
    /// <summary>Reads the feed from a position until it is empty, having seen at least <paramref name="atLeast"/> changes (a writing
    /// transaction elsewhere on a server can hold its feed back for a moment).</summary>
    protected async Task<(List<PhotoId> Photos, string Position)> DrainAsync(string? from, int atLeast = 0)
    {
        var photos = new List<PhotoId>();
        var position = from;
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var page = await Stores.Changes.ReadChangesAsync(position, 5);
            position = page.Position;
            if (page.Photos.Count == 0)
            {
                if (photos.Count >= atLeast || DateTime.UtcNow > deadline)
                {
                    return (photos, position);
                }

                await Task.Delay(50);
            }

            photos.AddRange(page.Photos);
        }
    }

    [Fact]
    public virtual async Task Every_change_to_what_an_index_holds_is_in_the_feed_and_nothing_else()
    {
        var owner = await Stores.UserAsync("cowner");
        var fan = await Stores.UserAsync("cfan");
        var start = (await DrainAsync(null)).Position;
        var photo = await Stores.PhotoAsync(owner, "c");
        var (created, afterCreate) = await DrainAsync(start, atLeast: 1);
        Assert.Contains(photo.Id, created);

        await Stores.Embeddings.SaveEmbeddingsAsync("s@4", [new(photo.Id, new float[] { 1, 2, 3, 4 })]);
        var (embedded, position) = await DrainAsync(afterCreate, atLeast: 1);
        Assert.Equal([photo.Id], embedded.Distinct());

        async Task Expect(Func<Task> write, bool changes)
        {
            await write();
            var (photos, next) = await DrainAsync(position, atLeast: changes ? 1 : 0);
            Assert.Equal(changes ? [photo.Id] : [], photos.Distinct());
            position = next;
        }

        await Expect(() => Stores.Interactions.LikeAsync(photo.Id, fan.Id), changes: false);
        await Expect(() => Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate(Title: "new title"), []), changes: false);
        await Expect(() => Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate(Visibility: Visibility.Followers), []), changes: true);
        await Expect(() => Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate(Tags: ["x"]), []), changes: true);
        await Expect(() => Stores.Users.UpdateAsync(owner with { IsPrivate = true }), changes: true);
        await Expect(() => Stores.Photos.SoftDeleteAsync(photo.Id, DateTimeOffset.UtcNow.AddDays(-40), []), changes: true);
        await Expect(() => Stores.Photos.RestoreAsync(photo.Id, []), changes: true);
        await Expect(() => Stores.Photos.SoftDeleteAsync(photo.Id, DateTimeOffset.UtcNow.AddDays(-40), []), changes: true);
        await Expect(() => Stores.Photos.PurgeDeletedAsync(DateTimeOffset.UtcNow.AddDays(-30), 10), changes: true);
    }

    [Fact]
    public virtual async Task Pruning_drops_old_changes_and_a_reader_from_before_them_is_told_to_reload()
    {
        var owner = await Stores.UserAsync("pruned");
        var photo = await Stores.PhotoAsync(owner, "old");
        var start = (await DrainAsync(null)).Position;
        await Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate(Tags: ["changed"]), []);

        // Everything recorded so far is older than a minute from now. (PostgreSQL prunes only finished transactions, and another one
        // running on the server can hold that back for a moment.)
        var deleted = 0;
        for (var deadline = DateTime.UtcNow.AddMinutes(1); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            deleted += await Stores.Changes.PruneChangesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
            if (await ExpiredAsync(start))
            {
                break;
            }
        }

        Assert.True(deleted >= 2, $"deleted {deleted}");
        Assert.True(await ExpiredAsync(start), "a reader from before the pruned changes must be told to reload");
        Assert.True(await ExpiredAsync(null), "so must a reader starting from the beginning");

        // From the head (what a reload goes on from) the feed carries on: nothing pending, then the next change.
        var head = await Stores.Changes.GetHeadAsync();
        Assert.Empty((await Stores.Changes.ReadChangesAsync(head, 100)).Photos);
        await Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate(Tags: ["after"]), []);
        Assert.Equal([photo.Id], (await DrainAsync(head, atLeast: 1)).Photos);
        Assert.Equal(0, await Stores.Changes.PruneChangesAsync(DateTimeOffset.UtcNow.AddDays(-1)));
    }

    private async Task<bool> ExpiredAsync(string? position)
    {
        try
        {
            await Stores.Changes.ReadChangesAsync(position, 100);
            return false;
        }
        catch (ChangeFeedPositionExpiredException)
        {
            return true;
        }
    }

    [Fact]
    public virtual async Task Under_concurrent_writers_a_reader_sees_every_change_exactly_once_and_each_photo_in_order()
    {
        // Owners on eight logical shards, so that a provider with several servers has writers on each.
        var owners = new List<User>();
        for (var i = 0; i < 8; i++)
        {
            var owner = new User(new UserId(MetadataStores.NewId(i)), $"w{i}", $"W{i}", false);
            await Stores.Users.CreateAsync(owner);
            owners.Add(owner);
        }

        var photos = new List<Photo>();
        foreach (var owner in owners)
        {
            for (var i = 0; i < 2; i++)
            {
                photos.Add(await Stores.PhotoAsync(owner, "w"));
            }
        }

        var start = (await DrainAsync(null)).Position;
        const int Writes = 15;
        var observed = photos.ToDictionary(p => p.Id, _ => new List<int>());
        using var done = new CancellationTokenSource();

        // The reader follows the feed while the writers write; each change makes it read the photo's current version (its tag).
        var position = start;
        async Task<int> ReadOnceAsync()
        {
            var page = await Stores.Changes.ReadChangesAsync(position, 7);
            position = page.Position;
            foreach (var id in page.Photos)
            {
                var current = (await Stores.Photos.GetAsync(id))!;
                observed[id].Add(int.Parse(current.Tags[0][1..], System.Globalization.CultureInfo.InvariantCulture));
            }

            return page.Photos.Count;
        }

        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await ReadOnceAsync();
            }
        });
        await Task.WhenAll(photos.Select(photo => Task.Run(async () =>
        {
            for (var v = 1; v <= Writes; v++)
            {
                await Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate(Tags: [$"v{v}"]), []);
            }
        })));
        await done.CancelAsync();
        await reader;
        // The writers are done. What is left becomes readable once no older writing transaction runs on its server, so read until
        // every write was seen (or a deadline), then until the feed is empty.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (observed.Values.Sum(v => v.Count) < photos.Count * Writes && DateTime.UtcNow < deadline)
        {
            if (await ReadOnceAsync() == 0)
            {
                await Task.Delay(50);
            }
        }

        while (await ReadOnceAsync() > 0)
        {
        }

        foreach (var photo in photos)
        {
            var seen = observed[photo.Id];
            Assert.Equal(Writes, seen.Count);
            Assert.True(seen.SequenceEqual(seen.Order()), $"photo {photo.Id} was read back out of order: {string.Join(',', seen)}");
            Assert.Equal(Writes, seen[^1]);
        }
    }
}
