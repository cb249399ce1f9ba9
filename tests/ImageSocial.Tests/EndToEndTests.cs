using ImageSocial.Imaging.Vips.Tests;

namespace ImageSocial.Tests;

/// <summary>The whole data path through the public API, asserting that nothing reaches a viewer who may not see it through any read.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly TestHost host = new();

    private ImageSocialService Sdk => host.Service;

    [Fact]
    public async Task Whole_path_respects_visibility_through_every_read()
    {
        var alice = await Sdk.CreateUserAsync("alice", "Alice");
        var bob = await Sdk.CreateUserAsync("bob", "Bob");
        var carol = await Sdk.CreateUserAsync("carol", "Carol", isPrivate: true);
        var dave = await Sdk.CreateUserAsync("dave", "Dave");

        Assert.Equal(FollowState.Following, await Sdk.FollowAsync(bob.Id, alice.Id));
        Assert.Equal(FollowState.Pending, await Sdk.FollowAsync(alice.Id, carol.Id));
        Assert.Equal(FollowState.Pending, await Sdk.FollowAsync(bob.Id, carol.Id));
        Assert.Equal(new[] { alice.Id, bob.Id }.Order(), (await Sdk.GetFollowRequestsAsync(carol.Id, new PageRequest())).Items.Select(u => u.Id).Order());
        await Sdk.ApproveFollowRequestAsync(carol.Id, alice.Id);

        var pub = await Upload(alice, "Sunset over the pier", Visibility.Public, 10, "sunset", "sea");
        var fol = await Upload(alice, "Sunset for friends", Visibility.Followers, 20, "sunset");
        var prv = await Upload(alice, "Sunset diary", Visibility.Private, 30, "sunset");
        var cpub = await Upload(carol, "Sunset from a private account", Visibility.Public, 40, "sunset");
        Assert.Equal(4, await host.Jobs.RunDueAsync());

        var expected = new Dictionary<User, PhotoId[]>
        {
            [alice] = [pub.Id, fol.Id, prv.Id, cpub.Id],
            [bob] = [pub.Id, fol.Id],
            [carol] = [pub.Id, cpub.Id],
            [dave] = [pub.Id],
        };
        foreach (var (viewer, visible) in expected)
        {
            await AssertSeesExactly(viewer, visible, [pub, fol, prv, cpub]);
        }

        Assert.Equal([pub.Id, fol.Id], (await Sdk.GetFeedAsync(bob.Id, new PageRequest())).Items.Select(p => p.Id).Order());
        Assert.Equal([cpub.Id], (await Sdk.GetFeedAsync(alice.Id, new PageRequest())).Items.Select(p => p.Id));
        Assert.Empty((await Sdk.GetFeedAsync(dave.Id, new PageRequest())).Items);
        Assert.Equal([pub.Id], (await Sdk.SearchAsync(dave.Id, "pier", null, new PageRequest())).Items.Select(p => p.Id));
        Assert.Equal([pub.Id], (await Sdk.SearchAsync(dave.Id, null, "#SEA", new PageRequest())).Items.Select(p => p.Id));

        var similar = await Sdk.FindSimilarAsync(fol.Id, bob.Id, 10);
        Assert.Equal(pub.Id, Assert.Single(similar).Photo.Id);
        Assert.Equal(prv.Id, (await Sdk.FindSimilarToImageAsync(Image(30), alice.Id, 1))[0].Photo.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.GetFollowersAsync(carol.Id, bob.Id, new PageRequest()));
        Assert.Single((await Sdk.GetFollowersAsync(carol.Id, alice.Id, new PageRequest())).Items);

        // Likes and comments go through the same rule.
        await Sdk.LikeAsync(pub.Id, bob.Id);
        await Sdk.LikeAsync(pub.Id, bob.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.LikeAsync(fol.Id, dave.Id));
        var comment = await Sdk.AddCommentAsync(fol.Id, bob.Id, "Lovely <b>light</b>'); --");
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.GetCommentsAsync(fol.Id, dave.Id, new PageRequest()));
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.AddCommentAsync(prv.Id, bob.Id, "hi"));
        Assert.Equal([comment], (await Sdk.GetCommentsAsync(fol.Id, alice.Id, new PageRequest())).Items);
        var liked = await Sdk.GetPhotoAsync(pub.Id, dave.Id);
        Assert.Equal(1, liked.LikeCount);

        // Only the owner changes, deletes or restores.
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.UpdatePhotoAsync(pub.Id, bob.Id, new PhotoUpdate("mine now")));
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.DeletePhotoAsync(pub.Id, bob.Id));
        var moved = await Sdk.UpdatePhotoAsync(fol.Id, alice.Id, new PhotoUpdate(Visibility: Visibility.Public));
        await host.Jobs.RunDueAsync();
        Assert.Equal(Visibility.Public, moved.Visibility);
        Assert.Equal(fol.Id, (await Sdk.GetPhotoAsync(fol.Id, dave.Id)).Id);

        // Delete, restore, delete, and purge after the retention window.
        await Sdk.DeletePhotoAsync(pub.Id, alice.Id);
        await host.Jobs.RunDueAsync();
        await AssertSeesExactly(bob, [fol.Id], [pub, fol, prv, cpub]);
        await AssertSeesExactly(carol, [fol.Id, cpub.Id], [pub, fol, prv, cpub]);
        await AssertSeesExactly(dave, [fol.Id], [pub, fol, prv, cpub]);

        Assert.NotNull((await Sdk.GetPhotoAsync(pub.Id, alice.Id)).DeletedAt);
        Assert.Equal([pub.Id], (await Sdk.ListTrashAsync(alice.Id, new PageRequest())).Items.Select(p => p.Id));
        Assert.DoesNotContain(pub.Id, (await Sdk.SearchAsync(alice.Id, "sunset", null, new PageRequest())).Items.Select(p => p.Id));
        await Sdk.RestorePhotoAsync(pub.Id, alice.Id);
        await host.Jobs.RunDueAsync();
        Assert.Equal(pub.Id, (await Sdk.GetPhotoAsync(pub.Id, dave.Id)).Id);
        Assert.Contains(pub.Id, (await Sdk.FindSimilarAsync(fol.Id, dave.Id, 10)).Select(s => s.Photo.Id));

        await Sdk.DeletePhotoAsync(pub.Id, alice.Id);
        host.Clock.Now += TimeSpan.FromDays(31);
        await Assert.ThrowsAsync<RetentionExpiredException>(() => Sdk.RestorePhotoAsync(pub.Id, alice.Id));
        Assert.Equal(1, await Sdk.PurgeExpiredAsync());
        await host.Jobs.RunDueAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.GetPhotoAsync(pub.Id, alice.Id));
        Assert.False(await host.Get<IBlobStore>().ExistsAsync(BlobKeys.ForRendition(alice.Id, pub.Id, RenditionKind.Original)));
        Assert.Null(await host.Get<IVectorIndex>().GetAsync(pub.Id.Value));
        Assert.Equal(0, await host.Get<IOutbox>().CountPendingAsync());
    }

    private async Task AssertSeesExactly(User viewer, PhotoId[] visible, Photo[] all)
    {
        foreach (var photo in all)
        {
            var shouldSee = visible.Contains(photo.Id);
            var get = await Record.ExceptionAsync(() => Sdk.GetPhotoAsync(photo.Id, viewer.Id));
            Assert.True(shouldSee ? get is null : get is NotFoundException, $"{viewer.Handle} get {photo.Title}: {get?.GetType().Name ?? "visible"}");
            var content = await Record.ExceptionAsync(async () => (await Sdk.OpenContentAsync(photo.Id, RenditionKind.Thumb, viewer.Id)).Dispose());
            Assert.True(shouldSee ? content is null : content is NotFoundException, $"{viewer.Handle} thumb {photo.Title}");
            var url = await Record.ExceptionAsync(() => Sdk.GetContentUrlAsync(photo.Id, RenditionKind.Feed, viewer.Id));
            Assert.True(shouldSee ? url is null : url is NotFoundException, $"{viewer.Handle} url {photo.Title}");
            var original = await Record.ExceptionAsync(async () => (await Sdk.OpenContentAsync(photo.Id, RenditionKind.Original, viewer.Id)).Dispose());
            Assert.True(photo.OwnerId == viewer.Id ? original is null : original is NotFoundException, $"{viewer.Handle} original {photo.Title}");
        }

        var seen = new HashSet<PhotoId>();
        foreach (var owner in all.Select(p => p.OwnerId).Distinct())
        {
            seen.UnionWith((await Sdk.ListUserPhotosAsync(owner, viewer.Id, new PageRequest())).Items.Select(p => p.Id));
        }

        seen.UnionWith((await Sdk.GetFeedAsync(viewer.Id, new PageRequest())).Items.Select(p => p.Id));
        seen.UnionWith((await Sdk.SearchAsync(viewer.Id, "sunset", null, new PageRequest())).Items.Select(p => p.Id));
        seen.UnionWith((await Sdk.SearchAsync(viewer.Id, null, "sunset", new PageRequest())).Items.Select(p => p.Id));
        seen.UnionWith((await Sdk.FindSimilarToImageAsync(Image(10), viewer.Id, 100)).Select(s => s.Photo.Id));
        Assert.True(seen.IsSubsetOf(visible), $"{viewer.Handle} saw {string.Join(",", seen.Except(visible))}");
        Assert.Equal(visible.Order(), (await Sdk.SearchAsync(viewer.Id, null, "sunset", new PageRequest())).Items.Select(p => p.Id).Order());
    }

    private async Task<Photo> Upload(User owner, string title, Visibility visibility, int shade, params string[] tags) =>
        await Sdk.UploadPhotoAsync(owner.Id, Image(shade), new PhotoDraft(title, tags, visibility));

    private static byte[] Image(int shade) =>
        TestImages.Encode(480, 360, "jpeg", (x, y) => ((byte)((x / 3) + shade), (byte)(y / 2), (byte)(shade * 3)));

    public void Dispose() => host.Dispose();
}
