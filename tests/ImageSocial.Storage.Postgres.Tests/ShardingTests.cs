using ImageSocial.Testing.Servers;
using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres.Tests;

/// <summary>The layout, fan-out, moves and replica rules of the sharded provider, on two real primaries and a real replica.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ShardingTests(PostgresServers servers)
{
    private static readonly OutboxMessage[] NoWork = [];

    internal static User NewUser(string handle, int shard, bool isPrivate = false) => new(new UserId(MetadataStores.NewId(shard)), handle, handle, isPrivate);

    internal static Photo NewPhoto(User owner, string title, Visibility visibility = Visibility.Public, params string[] tags) => new()
    {
        Id = new PhotoId(MetadataStores.NewId(owner.Id.LogicalShard)),
        OwnerId = owner.Id,
        Title = title,
        Tags = tags,
        Visibility = visibility,
        Image = new ImageInfo("jpeg", 10, 10, 1, 1),
        RenditionContentType = "image/jpeg",
        OriginalBytes = 1,
    };

    [Fact]
    public async Task Users_photos_interactions_and_both_follow_sides_live_on_their_owners_shards()
    {
        var options = servers.NewOptions(shards: 8);
        var database = PostgresServers.DatabaseOf(options);
        using var store = new PostgresMetadataStore(Options.Create(options));
        // Round robin: even shards on a, odd on b.
        var ann = NewUser("ann", 2);
        var bob = NewUser("bob", 5);
        await store.CreateAsync(ann);
        await store.CreateAsync(bob);
        var photo = NewPhoto(ann, "sunset");
        await store.CreateAsync(photo, NoWork);
        await store.LikeAsync(photo.Id, bob.Id);
        await store.AddCommentAsync(new Comment(new CommentId(MetadataStores.NewId(2)), photo.Id, bob.Id, "nice"));
        Assert.Equal(FollowState.Following, await store.FollowAsync(bob.Id, ann.Id, requiresApproval: false));

        Assert.Equal("a", store.Map.GetServer(2));
        Assert.Equal("b", store.Map.GetServer(5));
        Assert.Equal(1, servers.A.Scalar<long>($"SELECT count(*) FROM shard_0002.photos WHERE owner_id = {ann.Id.Value}", database));
        Assert.Equal(1, servers.A.Scalar<long>($"SELECT count(*) FROM shard_0002.likes WHERE user_id = {bob.Id.Value}", database));
        Assert.Equal(1, servers.A.Scalar<long>($"SELECT count(*) FROM shard_0002.comments WHERE author_id = {bob.Id.Value}", database));
        Assert.Equal(1, servers.A.Scalar<long>($"SELECT count(*) FROM shard_0002.followers WHERE user_id = {ann.Id.Value} AND follower_id = {bob.Id.Value} AND state = 2", database));
        Assert.Equal(1, servers.B.Scalar<long>($"SELECT count(*) FROM shard_0005.following WHERE user_id = {bob.Id.Value} AND followee_id = {ann.Id.Value} AND state = 2", database));
        // The server's indexes hold copies of the shard rows that reads across users evaluate in one statement.
        Assert.Equal(1, servers.A.Scalar<long>($"SELECT count(*) FROM imagesocial.follower_index WHERE user_id = {ann.Id.Value} AND follower_id = {bob.Id.Value} AND shard = 2", database));
        Assert.Equal(1, servers.A.Scalar<long>($"SELECT like_count FROM imagesocial.photo_index WHERE id = {photo.Id.Value}", database));
        Assert.Equal(0, servers.B.Scalar<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'shard_0002'", database));
        Assert.Equal(8, servers.A.Scalar<long>("SELECT count(*) FROM imagesocial.shard_map", database));
    }

    [Fact]
    public async Task Ids_naming_a_shard_outside_the_cluster_are_not_found_and_change_nothing()
    {
        using var store = servers.NewStore(shards: 8);
        var owner = NewUser("inrange", 1);
        await store.CreateAsync(owner);
        // 13 shard bits address 8192 shards; this cluster has 8, so shard 5000 exists nowhere.
        var foreignPhoto = new PhotoId(MetadataStores.NewId(5000));
        var foreignUser = new UserId(MetadataStores.NewId(5000));
        Assert.Null(await store.GetAsync(foreignPhoto));
        Assert.Null(await store.GetAsync(foreignUser));
        Assert.Empty(await store.GetVisibleAsync([foreignPhoto], owner.Id));
        Assert.Empty((await store.ListByOwnerAsync(foreignUser, owner.Id, new PageRequest())).Items);
        Assert.Empty(await store.ListNewestByOwnersAsync([foreignUser], owner.Id, null, 10));
        await Assert.ThrowsAsync<NotFoundException>(() => store.LikeAsync(foreignPhoto, owner.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => store.FollowAsync(owner.Id, foreignUser, false));
        await Assert.ThrowsAsync<ValidationException>(() => store.CreateAsync(NewPhoto(new User(foreignUser, "x", "x", false), "nowhere"), NoWork));
        Assert.False(await store.SoftDeleteAsync(foreignPhoto, DateTimeOffset.UtcNow, NoWork));
        Assert.Equal((0L, 0L), await store.GetCountsAsync(owner.Id));
    }

    [Fact]
    public async Task A_handle_left_reserved_by_a_crash_is_taken_over_and_a_live_one_is_not()
    {
        var options = servers.NewOptions(shards: 8);
        using var store = new PostgresMetadataStore(Options.Create(options));
        var database = PostgresServers.DatabaseOf(options);
        var live = NewUser("taken", 2);
        await store.CreateAsync(live);
        // A process that died between reserving 'orphaned' and writing its profile (planted on every shard, so also where it hashes).
        var ghost = MetadataStores.NewId(3);
        foreach (var server in new[] { servers.A, servers.B })
        {
            for (var shard = 0; shard < 8; shard++)
            {
                if (server.Scalar<long>($"SELECT count(*) FROM imagesocial.shards WHERE shard = {shard}", database) == 1)
                {
                    server.Execute($"INSERT INTO shard_{shard:D4}.handles VALUES ('orphaned', {ghost})", database);
                }
            }
        }

        var claimant = NewUser("orphaned", 4);
        await store.CreateAsync(claimant);
        Assert.Equal(claimant.Id, (await store.GetByHandleAsync("ORPHANED"))!.Id);
        var takenOver = Enumerable.Range(0, 8).Sum(shard => new[] { servers.A, servers.B }.Sum(server =>
            server.Scalar<long>($"SELECT count(*) FROM pg_namespace WHERE nspname = 'shard_{shard:D4}'", database) == 1
                ? server.Scalar<long>($"SELECT count(*) FROM shard_{shard:D4}.handles WHERE handle = 'orphaned' AND user_id = {claimant.Id.Value}", database) : 0));
        Assert.Equal(1, takenOver);
        await Assert.ThrowsAsync<ConflictException>(() => store.CreateAsync(NewUser("TAKEN", 6)));
        Assert.Equal(live.Id, (await store.GetByHandleAsync("taken"))!.Id);
    }

    [Fact]
    public async Task Fan_out_reads_touch_only_the_servers_involved()
    {
        var options = servers.NewOptions(shards: 8);
        using var store = new PostgresMetadataStore(Options.Create(options));
        var viewer = NewUser("fviewer", 0);
        var authors = new[] { NewUser("fa1", 0), NewUser("fa2", 2), NewUser("fa3", 4) };
        await store.CreateAsync(viewer);
        var photos = new List<Photo>();
        foreach (var author in authors)
        {
            await store.CreateAsync(author);
            await store.FollowAsync(viewer.Id, author.Id, false);
            var photo = NewPhoto(author, "feed " + author.Handle, Visibility.Followers);
            await store.CreateAsync(photo, NoWork);
            photos.Add(photo);
        }

        await servers.WhileBIsDownAsync(async () =>
        {
            // Every author is on a: the feed pull and the batch get never open a connection to b.
            var feed = await store.ListNewestByOwnersAsync(authors.Select(a => a.Id).ToList(), viewer.Id, null, 10);
            Assert.Equal(photos.Select(p => p.Id).Reverse(), feed.Select(p => p.Id));
            Assert.Equal(3, (await store.GetVisibleAsync(photos.Select(p => p.Id).ToList(), viewer.Id)).Count);
            // Single-user work on a goes on while b is down.
            var more = NewPhoto(authors[0], "while b is down");
            await store.CreateAsync(more, NoWork);
            Assert.True(await store.LikeAsync(more.Id, viewer.Id));
            Assert.Equal(2, (await store.ListByOwnerAsync(authors[0].Id, viewer.Id, new PageRequest())).Items.Count);
            await PostgresServers.AssertUnavailableAsync(() => store.GetAsync(new UserId(MetadataStores.NewId(1))));
        });
    }

    [Fact]
    public async Task A_shard_moves_online_while_writers_and_readers_keep_going()
    {
        var options = servers.NewOptions(shards: 8);
        using var store = new PostgresMetadataStore(Options.Create(options));
        using var otherProcess = new PostgresMetadataStore(Options.Create(options));
        using var stale = new PostgresMetadataStore(Options.Create(options));
        var owner = NewUser("mover", 3);
        var fan = NewUser("fan", 4);
        await store.CreateAsync(owner);
        await store.CreateAsync(fan);
        await store.FollowAsync(fan.Id, owner.Id, false);
        for (var i = 0; i < 200; i++)
        {
            await store.CreateAsync(NewPhoto(owner, $"before {i}", Visibility.Public, "moved"), NoWork);
        }

        Assert.Equal("b", store.Map.GetServer(3));
        Assert.Equal("b", stale.Map.GetServer(3));
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<PhotoId>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var photo = NewPhoto(owner, $"during {n++}", Visibility.Followers, "moved");
                await otherProcess.CreateAsync(photo, NoWork);
                acknowledged.Add(photo.Id);
                await otherProcess.LikeAsync(photo.Id, fan.Id);
            }
        });
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.NotEmpty((await otherProcess.ListByOwnerAsync(owner.Id, fan.Id, new PageRequest())).Items);
                reads++;
            }
        });

        await Task.Delay(300);
        var lines = new List<string>();
        var report = await new ShardMover(store).MoveAsync(3, "a", new Progress<string>(lines.Add));
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(writer, reader);

        Assert.Equal(("b", "a"), (report.From, report.To));
        Assert.Equal("a", store.Map.GetServer(3));
        Assert.Equal(report.MapVersion, store.Map.Version);
        Assert.True(reads > 0);
        Assert.True(acknowledged.Count > 0);
        var database = PostgresServers.DatabaseOf(options);
        Assert.Equal(0, servers.B.Scalar<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'shard_0003'", database));
        var photos = report.Tables.Single(t => t.Table == "photos");
        Assert.True(photos.Rows >= 200);
        // Nothing acknowledged is lost: every photo, with its like, is readable through both store instances.
        var all = new List<Photo>();
        string? cursor = null;
        do
        {
            var page = await otherProcess.ListByOwnerAsync(owner.Id, owner.Id, new PageRequest(cursor, 200));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(200 + acknowledged.Count, all.Count);
        Assert.Subset(all.Select(p => p.Id).ToHashSet(), acknowledged.ToHashSet());
        Assert.All(all.Where(p => p.Title.StartsWith("during", StringComparison.Ordinal)), p => Assert.True(p.LikeCount <= 1));
        Assert.Equal(200 + acknowledged.Count, servers.A.Scalar<long>("SELECT count(*) FROM shard_0003.photos", database));
        Assert.Equal(200 + acknowledged.Count, servers.A.Scalar<long>("SELECT count(*) FROM imagesocial.photo_index WHERE shard = 3", database));
        Assert.Equal(1, servers.A.Scalar<long>("SELECT count(*) FROM imagesocial.follower_index WHERE shard = 3", database));
        Assert.Equal(0, servers.B.Scalar<long>("SELECT count(*) FROM imagesocial.follower_index WHERE shard = 3", database));
        // Search and the follow edge moved with the shard.
        Assert.Equal(20, (await store.SearchAsync(new PhotoSearch(null, "moved"), fan.Id, new PageRequest())).Items.Count);
        Assert.Equal(FollowState.Following, await otherProcess.GetStateAsync(fan.Id, owner.Id));
        await Assert.ThrowsAsync<ValidationException>(() => new ShardMover(store).MoveAsync(3, "a"));
        // An instance that slept through the move still holds the old map: its batch get finds the old server no longer serving
        // the shard, reloads the map and answers from the new one instead of reporting the photos missing.
        var some = all.Take(30).Select(p => p.Id).ToList();
        Assert.Equal(some, (await stale.GetVisibleAsync(some, fan.Id)).Select(p => p.Id));
        Assert.Equal("a", stale.Map.GetServer(3));
    }

    [Fact]
    public async Task An_interrupted_move_leaves_the_shard_readable_and_running_it_again_finishes_it()
    {
        var options = servers.NewOptions(shards: 8);
        var database = PostgresServers.DatabaseOf(options);
        using var store = new PostgresMetadataStore(Options.Create(options));
        var owner = NewUser("interrupted", 4);
        await store.CreateAsync(owner);
        var photo = NewPhoto(owner, "survivor");
        await store.CreateAsync(photo, NoWork);

        // What a mover killed after fencing and copying half a shard leaves behind: the fence on a, a partial copy on b.
        servers.A.Execute("UPDATE imagesocial.shards SET writable = false WHERE shard = 4", database);
        servers.B.Execute("CREATE SCHEMA shard_0004; CREATE TABLE shard_0004.users(id bigint); INSERT INTO imagesocial.shards VALUES (4, false)", database);
        Assert.NotNull(await store.GetAsync(photo.Id));
        await PostgresServers.AssertUnavailableAsync(() => store.CreateAsync(NewPhoto(owner, "refused"), NoWork));

        var report = await new ShardMover(store).MoveAsync(4, "b");
        Assert.Equal("b", store.Map.GetServer(4));
        Assert.Equal(1, report.Tables.Single(t => t.Table == "photos").Rows);
        Assert.Equal(photo.Title, (await store.GetAsync(photo.Id))!.Title);
        await store.CreateAsync(NewPhoto(owner, "accepted"), NoWork);
        Assert.Equal(2, servers.B.Scalar<long>("SELECT count(*) FROM shard_0004.photos", database));
        Assert.Equal(0, servers.A.Scalar<long>("SELECT count(*) FROM imagesocial.shards WHERE shard = 4", database));
    }

    [Fact]
    public async Task Reads_use_the_replica_only_when_it_has_this_writers_commits()
    {
        var options = servers.NewOptions(shards: 4, replica: true);
        using var writer = new PostgresMetadataStore(Options.Create(options));
        using var bystander = new PostgresMetadataStore(Options.Create(options));
        var owner = NewUser("replicated", 0);
        await writer.CreateAsync(owner);
        await WaitForReplayAsync();
        servers.ReplicaOfA.Execute("SELECT pg_wal_replay_pause()");
        try
        {
            var photo = NewPhoto(owner, "fresh");
            await writer.CreateAsync(photo, NoWork);
            // The writer reads its own write: the replica is behind, so its read goes to the primary.
            Assert.Single((await writer.ListByOwnerAsync(owner.Id, owner.Id, new PageRequest())).Items);
            // Another instance has no commits to wait for and reads the paused replica: it may be stale by the replication lag.
            Assert.Empty((await bystander.ListByOwnerAsync(owner.Id, owner.Id, new PageRequest())).Items);
            // Reads that feed writes never use the replica.
            Assert.NotNull(await bystander.GetAsync(photo.Id));
        }
        finally
        {
            servers.ReplicaOfA.Execute("SELECT pg_wal_replay_resume()");
        }

        await WaitForReplayAsync();
        Assert.Single((await bystander.ListByOwnerAsync(owner.Id, owner.Id, new PageRequest())).Items);
    }

    private async Task WaitForReplayAsync()
    {
        var target = servers.A.Scalar<string>("SELECT pg_current_wal_insert_lsn()::text");
        for (var i = 0; i < 100 && !servers.ReplicaOfA.Scalar<bool>($"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"); i++)
        {
            await Task.Delay(50);
        }
    }
}
