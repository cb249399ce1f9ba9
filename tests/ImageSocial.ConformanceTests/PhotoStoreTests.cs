namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IPhotoStore))]
public abstract class PhotoStoreTests : MetadataSuite
{
    [Fact]
    public virtual async Task Create_round_trips_every_field_and_writes_the_outbox()
    {
        var owner = await Stores.UserAsync("owner");
        var photo = await Stores.PhotoAsync(owner, "Sunset at the pier", Visibility.Followers, "sunset", "sea");
        var stored = await Stores.Photos.GetAsync(photo.Id);
        Assert.NotNull(stored);
        Assert.Equal(photo.Title, stored.Title);
        Assert.Equal(photo.Tags, stored.Tags);
        Assert.Equal(photo.Image, stored.Image);
        Assert.Equal(photo.Visibility, stored.Visibility);
        Assert.Equal(1, await Stores.Outbox.CountPendingAsync());
    }

    [Fact]
    public virtual async Task A_video_round_trips_its_facts_and_its_state_changes_in_every_read()
    {
        var owner = await Stores.UserAsync("vidowner");
        var viewer = await Stores.UserAsync("vidviewer");
        var facts = new VideoInfo
        {
            Container = "mov,mp4,m4a,3gp,3g2,mj2", VideoCodec = "h264", AudioCodec = "aac", PixelFormat = "yuv420p", DurationMs = 5568, Width = 320,
            Height = 560, Rotation = 90, FrameRate = 29.97, BitRate = 551193, StreamCount = 2, CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1714557600000),
            Latitude = 48.8584, Longitude = 2.2945, Status = MediaStatus.Processing,
        };
        var video = (await Stores.PhotoAsync(owner, "clip")) with { Id = new PhotoId(MetadataStores.NewId(owner.Id.LogicalShard)), Video = facts };
        await Stores.Photos.CreateAsync(video, []);
        var photo = await Stores.PhotoAsync(owner, "still");

        Assert.Equal(facts, (await Stores.Photos.GetAsync(video.Id))!.Video);
        Assert.Null((await Stores.Photos.GetAsync(photo.Id))!.Video);
        var failed = facts with { Status = MediaStatus.Failed, FailureReason = "ffmpeg: Invalid data" };
        Assert.True(await Stores.Photos.UpdateVideoAsync(video.Id, failed));
        Assert.False(await Stores.Photos.UpdateVideoAsync(photo.Id, failed)); // a photo stays a photo

        Assert.Equal(failed, (await Stores.Photos.GetAsync(video.Id))!.Video);
        Assert.Equal(failed, (await Stores.Photos.GetVisibleAsync([video.Id], viewer.Id)).Single().Video);
        Assert.Equal(failed, (await Stores.Photos.ListNewestByOwnersAsync([owner.Id], viewer.Id, null, 10)).Single(p => p.Id == video.Id).Video);
        Assert.Equal(PostKind.Video, (await Stores.Photos.ListByOwnerAsync(owner.Id, viewer.Id, new PageRequest())).Items.Single(p => p.Id == video.Id).Kind);
    }

    [Fact]
    public virtual async Task Share_location_round_trips_and_an_update_changes_only_what_it_names()
    {
        var owner = await Stores.UserAsync("sharer");
        var photo = await Stores.PhotoAsync(owner, "where");
        Assert.False((await Stores.Photos.GetAsync(photo.Id))!.ShareLocation);

        var shared = await Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate(ShareLocation: true), []);
        Assert.True(shared!.ShareLocation);
        var retitled = await Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate(Title: "renamed"), []);
        Assert.True(retitled!.ShareLocation);
        Assert.True((await Stores.Photos.GetVisibleAsync([photo.Id], owner.Id)).Single().ShareLocation);
        Assert.Equal(51.5, (await Stores.Photos.GetAsync(photo.Id))!.Image.Latitude); // the store keeps the location either way
    }

    [Fact]
    public virtual async Task Create_for_unknown_owner_is_not_found_and_writes_nothing()
    {
        var ghost = new User(new UserId(MetadataStores.NewId()), "ghost", "Ghost", false);
        await Assert.ThrowsAsync<NotFoundException>(() => Stores.PhotoAsync(ghost, "x"));
        Assert.Equal(0, await Stores.Outbox.CountPendingAsync());
    }

    [Fact]
    public virtual async Task Visibility_rules_apply_in_every_read()
    {
        var owner = await Stores.UserAsync("vowner");
        var follower = await Stores.UserAsync("vfollower");
        var stranger = await Stores.UserAsync("vstranger");
        await Stores.Graph.FollowAsync(follower.Id, owner.Id, false);
        var pub = await Stores.PhotoAsync(owner, "alpha public", Visibility.Public, "t");
        var fol = await Stores.PhotoAsync(owner, "alpha followers", Visibility.Followers, "t");
        var prv = await Stores.PhotoAsync(owner, "alpha private", Visibility.Private, "t");
        PhotoId[] all = [pub.Id, fol.Id, prv.Id];

        async Task<PhotoId[]> Seen(User viewer) => (await Stores.Photos.GetVisibleAsync(all, viewer.Id)).Select(p => p.Id).ToArray();
        async Task<PhotoId[]> Listed(User viewer) => (await Stores.Photos.ListByOwnerAsync(owner.Id, viewer.Id, new PageRequest())).Items.Select(p => p.Id).Order().ToArray();
        async Task<PhotoId[]> Found(User viewer) => (await Stores.Photos.SearchAsync(new PhotoSearch("alpha", "t"), viewer.Id, new PageRequest())).Items.Select(p => p.Id).Order().ToArray();
        async Task<PhotoId[]> Fed(User viewer) => (await Stores.Photos.ListNewestByOwnersAsync([owner.Id], viewer.Id, null, 10)).Select(p => p.Id).Order().ToArray();

        foreach (var read in new Func<User, Task<PhotoId[]>>[] { Seen, Listed, Found, Fed })
        {
            Assert.Equal(all.Order(), (await read(owner)).Order());
            Assert.Equal(new[] { pub.Id, fol.Id }.Order(), (await read(follower)).Order());
            Assert.Equal([pub.Id], await read(stranger));
        }
    }

    [Fact]
    public virtual async Task The_store_agrees_with_the_in_memory_visibility_rule_in_every_case()
    {
        foreach (var isPrivate in new[] { false, true })
        {
            var owner = await Stores.UserAsync(isPrivate ? "rprivate" : "rpublic", isPrivate);
            var follower = await Stores.UserAsync(isPrivate ? "rpfollower" : "rfollower");
            var pending = await Stores.UserAsync(isPrivate ? "rppending" : "rpending");
            var stranger = await Stores.UserAsync(isPrivate ? "rpstranger" : "rstranger");
            await Stores.Graph.FollowAsync(follower.Id, owner.Id, isPrivate);
            await Stores.Graph.ApproveAsync(owner.Id, follower.Id);
            await Stores.Graph.FollowAsync(pending.Id, owner.Id, true);
            var photos = new List<Photo>();
            foreach (var visibility in Enum.GetValues<Visibility>())
            {
                photos.Add(await Stores.PhotoAsync(owner, "live", visibility));
                var deleted = await Stores.PhotoAsync(owner, "deleted", visibility);
                Assert.True(await Stores.Photos.SoftDeleteAsync(deleted.Id, DateTimeOffset.UtcNow, []));
                photos.Add(deleted with { DeletedAt = DateTimeOffset.UtcNow });
            }

            foreach (var viewer in new[] { owner, follower, pending, stranger })
            {
                var seen = (await Stores.Photos.GetVisibleAsync(photos.Select(p => p.Id).ToList(), viewer.Id)).Select(p => p.Id).ToHashSet();
                foreach (var photo in photos)
                {
                    var expected = ProviderServices.VisibilityRules.CanSee(viewer.Id, owner.Id, photo.Visibility, isPrivate, viewer == follower, photo.DeletedAt is not null);
                    Assert.True(expected == seen.Contains(photo.Id),
                        $"{viewer.Handle} / {photo.Visibility} / private={isPrivate} / deleted={photo.DeletedAt is not null}: rule says {expected}");
                }
            }
        }
    }

    [Fact]
    public virtual async Task Get_many_returns_every_known_photo_deleted_included_in_the_order_asked()
    {
        var owner = await Stores.UserAsync("manyowner", isPrivate: true);
        var a = await Stores.PhotoAsync(owner, "a", Visibility.Private);
        var b = await Stores.PhotoAsync(owner, "b");
        Assert.True(await Stores.Photos.SoftDeleteAsync(b.Id, DateTimeOffset.UtcNow, []));
        var unknown = new PhotoId(MetadataStores.NewId());
        var many = await Stores.Photos.GetManyAsync([b.Id, unknown, a.Id, b.Id]);
        Assert.Equal([b.Id, a.Id], many.Select(p => p.Id));
        Assert.NotNull(many[0].DeletedAt);
        Assert.Equal("a", many[1].Title);
        Assert.Empty(await Stores.Photos.GetManyAsync([]));
    }

    [Fact]
    public virtual async Task Private_account_shows_public_photos_to_approved_followers_only()
    {
        var owner = await Stores.UserAsync("powner", isPrivate: true);
        var requester = await Stores.UserAsync("prequester");
        var photo = await Stores.PhotoAsync(owner, "secret", Visibility.Public);
        await Stores.Graph.FollowAsync(requester.Id, owner.Id, true);
        Assert.Empty(await Stores.Photos.GetVisibleAsync([photo.Id], requester.Id));
        await Stores.Graph.ApproveAsync(owner.Id, requester.Id);
        Assert.Single(await Stores.Photos.GetVisibleAsync([photo.Id], requester.Id));
    }

    [Fact]
    public virtual async Task Account_privacy_change_applies_to_existing_photos()
    {
        var owner = await Stores.UserAsync("flip");
        var stranger = await Stores.UserAsync("flipstranger");
        var photo = await Stores.PhotoAsync(owner, "flip", Visibility.Public);
        await Stores.Users.UpdateAsync(owner with { IsPrivate = true });
        Assert.Empty(await Stores.Photos.GetVisibleAsync([photo.Id], stranger.Id));
    }

    [Fact]
    public virtual async Task Soft_delete_hides_restore_shows_purge_removes()
    {
        var owner = await Stores.UserAsync("downer");
        var viewer = await Stores.UserAsync("dviewer");
        var photo = await Stores.PhotoAsync(owner, "gone", Visibility.Public);
        var t0 = DateTimeOffset.UtcNow;
        Assert.True(await Stores.Photos.SoftDeleteAsync(photo.Id, t0, []));
        Assert.False(await Stores.Photos.SoftDeleteAsync(photo.Id, t0, []));
        Assert.Empty(await Stores.Photos.GetVisibleAsync([photo.Id], viewer.Id));
        Assert.Empty(await Stores.Photos.GetVisibleAsync([photo.Id], owner.Id));
        Assert.Equal([photo.Id], (await Stores.Photos.ListTrashAsync(owner.Id, new PageRequest())).Items.Select(p => p.Id));
        Assert.True(await Stores.Photos.RestoreAsync(photo.Id, []));
        Assert.Single(await Stores.Photos.GetVisibleAsync([photo.Id], viewer.Id));
        await Stores.Photos.SoftDeleteAsync(photo.Id, t0, []);
        Assert.Empty(await Stores.Photos.PurgeDeletedAsync(t0, 10));
        var purged = await Stores.Photos.PurgeDeletedAsync(t0.AddSeconds(1), 10);
        Assert.Equal([photo.Id], purged.Select(p => p.Id));
        Assert.Null(await Stores.Photos.GetAsync(photo.Id));
    }

    [Fact]
    public virtual async Task List_all_live_pages_through_every_owner_and_visibility()
    {
        var a = await Stores.UserAsync("alla", isPrivate: true);
        var b = await Stores.UserAsync("allb");
        var first = await Stores.PhotoAsync(a, "one", Visibility.Private);
        var second = await Stores.PhotoAsync(b, "two", Visibility.Followers);
        var gone = await Stores.PhotoAsync(b, "gone", Visibility.Public);
        var third = await Stores.PhotoAsync(a, "three", Visibility.Public);
        await Stores.Photos.SoftDeleteAsync(gone.Id, DateTimeOffset.UtcNow, []);
        var seen = new List<PhotoId>();
        string? cursor = null;
        do
        {
            var page = await Stores.Photos.ListAllLiveAsync(new PageRequest(cursor, 2));
            seen.AddRange(page.Items.Select(p => p.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.DoesNotContain(gone.Id, seen);
        Assert.Equal(seen.OrderByDescending(i => i.Value), seen);
        Assert.Equal([third.Id, second.Id, first.Id], seen.Where(i => i == first.Id || i == second.Id || i == third.Id));
    }

    [Fact]
    public virtual async Task Update_changes_title_tags_and_search()
    {
        var owner = await Stores.UserAsync("uowner");
        var photo = await Stores.PhotoAsync(owner, "old words", Visibility.Public, "before");
        var updated = await Stores.Photos.UpdateAsync(photo.Id, new PhotoUpdate("fresh words", ["after"]), []);
        Assert.Equal("fresh words", updated!.Title);
        Assert.Empty((await Stores.Photos.SearchAsync(new PhotoSearch("old", null), owner.Id, new PageRequest())).Items);
        Assert.Single((await Stores.Photos.SearchAsync(new PhotoSearch("fresh", "after"), owner.Id, new PageRequest())).Items);
        Assert.Empty((await Stores.Photos.SearchAsync(new PhotoSearch(null, "before"), owner.Id, new PageRequest())).Items);
    }

    [Fact]
    public virtual async Task Search_treats_query_syntax_as_plain_words()
    {
        var owner = await Stores.UserAsync("sowner");
        await Stores.PhotoAsync(owner, "cats AND dogs", Visibility.Public);
        foreach (var hostile in new[] { "\"", "cats OR", "NEAR(", "*", "'; DROP TABLE photos;--", "cats\" OR \"x", "c*ts", "^cats" })
        {
            var page = await Stores.Photos.SearchAsync(new PhotoSearch(hostile, "x"), owner.Id, new PageRequest());
            Assert.Empty(page.Items);
        }

        Assert.Single((await Stores.Photos.SearchAsync(new PhotoSearch("dog", null), owner.Id, new PageRequest())).Items);
        await Assert.ThrowsAsync<ValidationException>(() => Stores.Photos.SearchAsync(new PhotoSearch("\"*", null), owner.Id, new PageRequest()));
    }

    [Fact]
    public virtual async Task Owner_listing_pages_newest_first()
    {
        var owner = await Stores.UserAsync("lowner");
        var ids = new List<PhotoId>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await Stores.PhotoAsync(owner, $"p{i}")).Id);
        }

        var seen = new List<PhotoId>();
        string? cursor = null;
        do
        {
            var page = await Stores.Photos.ListByOwnerAsync(owner.Id, owner.Id, new PageRequest(cursor, 3));
            seen.AddRange(page.Items.Select(p => p.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(ids.OrderByDescending(i => i.Value), seen);
    }

    [Fact]
    public virtual async Task A_hidden_photo_is_its_owners_alone_with_the_reason_until_unhidden()
    {
        var owner = await Stores.UserAsync("hider");
        var viewer = await Stores.UserAsync("hviewer");
        await Stores.Graph.FollowAsync(viewer.Id, owner.Id, false);
        var photo = await Stores.PhotoAsync(owner, "hidden thing", Visibility.Public, "hid");
        Assert.True(await Stores.Photos.SetHiddenAsync(photo.Id, "nudity"));
        Assert.False(await Stores.Photos.SetHiddenAsync(new PhotoId(MetadataStores.NewId()), "nothing"));

        Assert.Equal("nudity", (await Stores.Photos.GetAsync(photo.Id))!.HiddenReason);
        Assert.Equal("nudity", (await Stores.Photos.GetVisibleAsync([photo.Id], owner.Id)).Single().HiddenReason);
        await AssertSeenAsync(viewer, photo.Id, seen: false);
        await AssertSeenAsync(owner, photo.Id, seen: true);

        Assert.True(await Stores.Photos.SetHiddenAsync(photo.Id, null));
        Assert.Null((await Stores.Photos.GetAsync(photo.Id))!.HiddenReason);
        await AssertSeenAsync(viewer, photo.Id, seen: true);
    }

    /// <summary>Whether a viewer finds a photo through every read of the contract that applies the visibility rule.</summary>
    protected async Task AssertSeenAsync(User viewer, PhotoId id, bool seen)
    {
        var owner = (await Stores.Photos.GetAsync(id))!.OwnerId;
        var found = new[]
        {
            (await Stores.Photos.GetVisibleAsync([id], viewer.Id)).Any(p => p.Id == id),
            (await Stores.Photos.ListByOwnerAsync(owner, viewer.Id, new PageRequest())).Items.Any(p => p.Id == id),
            (await Stores.Photos.ListNewestByOwnersAsync([owner], viewer.Id, null, 10)).Any(p => p.Id == id),
            (await Stores.Photos.SearchAsync(new PhotoSearch(null, (await Stores.Photos.GetAsync(id))!.Tags[0]), viewer.Id, new PageRequest())).Items.Any(p => p.Id == id),
        };
        Assert.All(found, f => Assert.Equal(seen, f));
    }
}
