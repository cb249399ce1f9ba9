using ImageSocial.ProviderServices;
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

        Assert.Equal(FollowState.Following, await Sdk.For(bob.Id).FollowAsync(alice.Id));
        Assert.Equal(FollowState.Pending, await Sdk.For(alice.Id).FollowAsync(carol.Id));
        Assert.Equal(FollowState.Pending, await Sdk.For(bob.Id).FollowAsync(carol.Id));
        Assert.Equal(new[] { alice.Id, bob.Id }.Order(), (await Sdk.For(carol.Id).GetFollowRequestsAsync(new PageRequest())).Items.Select(u => u.Id).Order());
        await Sdk.For(carol.Id).ApproveFollowRequestAsync(alice.Id);

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

        Assert.Equal([pub.Id, fol.Id], (await Sdk.For(bob.Id).GetFeedAsync(new PageRequest())).Items.Select(p => p.Id).Order());
        Assert.Equal([cpub.Id], (await Sdk.For(alice.Id).GetFeedAsync(new PageRequest())).Items.Select(p => p.Id));
        Assert.Empty((await Sdk.For(dave.Id).GetFeedAsync(new PageRequest())).Items);
        Assert.Equal([pub.Id], (await Sdk.For(dave.Id).SearchAsync("pier", null, new PageRequest())).Items.Select(p => p.Id));
        Assert.Equal([pub.Id], (await Sdk.For(dave.Id).SearchAsync(null, "#SEA", new PageRequest())).Items.Select(p => p.Id));

        var similar = await Sdk.For(bob.Id).FindSimilarAsync(fol.Id, 10);
        Assert.Equal(pub.Id, Assert.Single(similar).Photo.Id);
        Assert.Equal(prv.Id, (await Sdk.For(alice.Id).FindSimilarToImageAsync(Image(30), 1))[0].Photo.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(bob.Id).GetFollowersAsync(carol.Id, new PageRequest()));
        Assert.Single((await Sdk.For(alice.Id).GetFollowersAsync(carol.Id, new PageRequest())).Items);

        // Likes and comments go through the same rule.
        await Sdk.For(bob.Id).LikeAsync(pub.Id);
        await Sdk.For(bob.Id).LikeAsync(pub.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(dave.Id).LikeAsync(fol.Id));
        var comment = await Sdk.For(bob.Id).AddCommentAsync(fol.Id, "Lovely <b>light</b>'); --");
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(dave.Id).GetCommentsAsync(fol.Id, new PageRequest()));
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(bob.Id).AddCommentAsync(prv.Id, "hi"));
        Assert.Equal([comment], (await Sdk.For(alice.Id).GetCommentsAsync(fol.Id, new PageRequest())).Items);
        var liked = await Sdk.For(dave.Id).GetPhotoAsync(pub.Id);
        Assert.Equal(1, liked.LikeCount);

        // Only the owner changes, deletes or restores.
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(bob.Id).UpdatePhotoAsync(pub.Id, new PhotoUpdate("mine now")));
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(bob.Id).DeletePhotoAsync(pub.Id));
        var moved = await Sdk.For(alice.Id).UpdatePhotoAsync(fol.Id, new PhotoUpdate(Visibility: Visibility.Public));
        await host.Jobs.RunDueAsync();
        Assert.Equal(Visibility.Public, moved.Visibility);
        Assert.Equal(fol.Id, (await Sdk.For(dave.Id).GetPhotoAsync(fol.Id)).Id);

        // Delete, restore, delete, and purge after the retention window.
        await Sdk.For(alice.Id).DeletePhotoAsync(pub.Id);
        await host.Jobs.RunDueAsync();
        await AssertSeesExactly(bob, [fol.Id], [pub, fol, prv, cpub]);
        await AssertSeesExactly(carol, [fol.Id, cpub.Id], [pub, fol, prv, cpub]);
        await AssertSeesExactly(dave, [fol.Id], [pub, fol, prv, cpub]);

        Assert.NotNull((await Sdk.For(alice.Id).GetPhotoAsync(pub.Id)).DeletedAt);
        Assert.Equal([pub.Id], (await Sdk.For(alice.Id).ListTrashAsync(new PageRequest())).Items.Select(p => p.Id));
        Assert.DoesNotContain(pub.Id, (await Sdk.For(alice.Id).SearchAsync("sunset", null, new PageRequest())).Items.Select(p => p.Id));
        await Sdk.For(alice.Id).RestorePhotoAsync(pub.Id);
        await host.Jobs.RunDueAsync();
        Assert.Equal(pub.Id, (await Sdk.For(dave.Id).GetPhotoAsync(pub.Id)).Id);
        Assert.Contains(pub.Id, (await Sdk.For(dave.Id).FindSimilarAsync(fol.Id, 10)).Select(s => s.Photo.Id));

        await Sdk.For(alice.Id).DeletePhotoAsync(pub.Id);
        host.Clock.Now += TimeSpan.FromDays(31);
        await Assert.ThrowsAsync<RetentionExpiredException>(() => Sdk.For(alice.Id).RestorePhotoAsync(pub.Id));
        Assert.Equal(1, await Sdk.PurgeExpiredAsync());
        await host.Jobs.RunDueAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => Sdk.For(alice.Id).GetPhotoAsync(pub.Id));
        Assert.False(await host.Get<IBlobStore>().ExistsAsync(BlobKeys.ForRendition(alice.Id, pub.Id, RenditionKind.Original)));
        Assert.Null(await host.Get<IVectorIndex>().GetAsync(pub.Id.Value));
        Assert.Equal(0, await host.Get<IOutbox>().CountPendingAsync());
    }

    private async Task AssertSeesExactly(User viewer, PhotoId[] visible, Photo[] all)
    {
        foreach (var photo in all)
        {
            var shouldSee = visible.Contains(photo.Id);
            var get = await Record.ExceptionAsync(() => Sdk.For(viewer.Id).GetPhotoAsync(photo.Id));
            Assert.True(shouldSee ? get is null : get is NotFoundException, $"{viewer.Handle} get {photo.Title}: {get?.GetType().Name ?? "visible"}");
            var content = await Record.ExceptionAsync(async () => (await Sdk.For(viewer.Id).OpenContentAsync(photo.Id, RenditionKind.Thumb)).Dispose());
            Assert.True(shouldSee ? content is null : content is NotFoundException, $"{viewer.Handle} thumb {photo.Title}");
            var url = await Record.ExceptionAsync(() => Sdk.For(viewer.Id).GetContentUrlAsync(photo.Id, RenditionKind.Feed));
            Assert.True(shouldSee ? url is null : url is NotFoundException, $"{viewer.Handle} url {photo.Title}");
            var original = await Record.ExceptionAsync(async () => (await Sdk.For(viewer.Id).OpenContentAsync(photo.Id, RenditionKind.Original)).Dispose());
            Assert.True(photo.OwnerId == viewer.Id ? original is null : original is NotFoundException, $"{viewer.Handle} original {photo.Title}");
        }

        var seen = new HashSet<PhotoId>();
        foreach (var owner in all.Select(p => p.OwnerId).Distinct())
        {
            seen.UnionWith((await Sdk.For(viewer.Id).ListPhotosAsync(owner, new PageRequest())).Items.Select(p => p.Id));
        }

        seen.UnionWith((await Sdk.For(viewer.Id).GetFeedAsync(new PageRequest())).Items.Select(p => p.Id));
        seen.UnionWith((await Sdk.For(viewer.Id).SearchAsync("sunset", null, new PageRequest())).Items.Select(p => p.Id));
        seen.UnionWith((await Sdk.For(viewer.Id).SearchAsync(null, "sunset", new PageRequest())).Items.Select(p => p.Id));
        seen.UnionWith((await Sdk.For(viewer.Id).FindSimilarToImageAsync(Image(10), 100)).Select(s => s.Photo.Id));
        Assert.True(seen.IsSubsetOf(visible), $"{viewer.Handle} saw {string.Join(",", seen.Except(visible))}");
        Assert.Equal(visible.Order(), (await Sdk.For(viewer.Id).SearchAsync(null, "sunset", new PageRequest())).Items.Select(p => p.Id).Order());
    }

    private async Task<Photo> Upload(User owner, string title, Visibility visibility, int shade, params string[] tags) =>
        await Sdk.For(owner.Id).UploadPhotoAsync(Image(shade), new PhotoDraft(title, tags, visibility));

    private static byte[] Image(int shade) =>
        TestImages.Encode(480, 360, "jpeg", (x, y) => ((byte)((x / 3) + shade), (byte)(y / 2), (byte)(shade * 3)));

    public void Dispose() => host.Dispose();
}
