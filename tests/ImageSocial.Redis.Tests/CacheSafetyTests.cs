using ImageSocial.Imaging.Vips.Tests;

namespace ImageSocial.Redis.Tests;

/// <summary>The cache can never show a viewer what the store would not: every read path, warmed first so that it serves from Redis, right
/// after the write that changed what the viewer may see.</summary>
[Collection(RedisCollection.Name)]
public sealed class CacheSafetyTests(RedisFixture redis) : IDisposable
{
    private readonly CachedHost host = new(redis.NewOptions());
    private readonly CacheMeters meters = new();

    private static byte[] Image(int seed) => TestImages.Encode(160, 120, "jpeg", (x, y) => ((byte)(x * seed), (byte)(y + seed * 40), (byte)(seed * 60)));

    [Fact]
    public async Task Right_after_a_photo_turns_private_no_path_shows_it_to_anyone_else()
    {
        var sdk = host.Service;
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var follower = await sdk.CreateUserAsync("follower", "Follower");
        var stranger = await sdk.CreateUserAsync("stranger", "Stranger");
        await sdk.For(follower.Id).FollowAsync(owner.Id);
        var anchor = await AnchorAsync(sdk, 1);
        var photo = await sdk.For(owner.Id).UploadPhotoAsync(Image(2), new PhotoDraft("soon private"));
        await host.Jobs.RunDueAsync();

        foreach (var viewer in new[] { follower, stranger })
        {
            await AssertShownAsync(sdk.For(viewer.Id), photo.Id, anchor.Id, feed: viewer == follower, twice: true);
        }

        Assert.True(meters.Hits > 0, "the reads above were served from the cache");
        await sdk.For(owner.Id).UpdatePhotoAsync(photo.Id, new PhotoUpdate(Visibility: Visibility.Private));

        // The index payload still says public (its job has not run): only the cache's re-check stands between the viewer and the photo.
        foreach (var viewer in new[] { follower, stranger })
        {
            await AssertHiddenAsync(sdk.For(viewer.Id), photo.Id, anchor.Id);
        }

        Assert.Equal(Visibility.Private, (await sdk.For(owner.Id).GetPhotoAsync(photo.Id)).Visibility);
    }

    [Fact]
    public async Task Right_after_an_unfollow_followers_only_photos_are_gone_from_every_path()
    {
        var sdk = host.Service;
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var fan = await sdk.CreateUserAsync("fan", "Fan");
        await sdk.For(fan.Id).FollowAsync(owner.Id);
        var anchor = await AnchorAsync(sdk, 3);
        var photo = await sdk.For(owner.Id).UploadPhotoAsync(Image(4), new PhotoDraft("for followers", Visibility: Visibility.Followers));
        await host.Jobs.RunDueAsync();
        await AssertShownAsync(sdk.For(fan.Id), photo.Id, anchor.Id, feed: true, twice: true);

        await sdk.For(fan.Id).UnfollowAsync(owner.Id);
        await AssertHiddenAsync(sdk.For(fan.Id), photo.Id, anchor.Id);
        Assert.Empty((await sdk.For(fan.Id).GetFeedAsync()).Items);
    }

    [Fact]
    public async Task Right_after_an_account_turns_private_strangers_see_none_of_its_photos_and_followers_still_do()
    {
        var sdk = host.Service;
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var follower = await sdk.CreateUserAsync("follower", "Follower");
        var stranger = await sdk.CreateUserAsync("stranger", "Stranger");
        await sdk.For(follower.Id).FollowAsync(owner.Id);
        var anchor = await AnchorAsync(sdk, 5);
        var photo = await sdk.For(owner.Id).UploadPhotoAsync(Image(6), new PhotoDraft("public photo"));
        await host.Jobs.RunDueAsync();
        await AssertShownAsync(sdk.For(stranger.Id), photo.Id, anchor.Id, feed: false, twice: true);

        await sdk.For(owner.Id).UpdateProfileAsync(isPrivate: true);
        await AssertHiddenAsync(sdk.For(stranger.Id), photo.Id, anchor.Id);
        await AssertShownAsync(sdk.For(follower.Id), photo.Id, anchor.Id, feed: true, twice: false);
    }

    [Fact]
    public async Task Likes_comments_deletes_and_restores_show_in_cached_reads_at_once()
    {
        var sdk = host.Service;
        var owner = await sdk.CreateUserAsync("owner", "Owner");
        var viewer = await sdk.CreateUserAsync("viewer", "Viewer");
        var photo = await sdk.For(owner.Id).UploadPhotoAsync(Image(7), new PhotoDraft("counted"));
        Assert.Equal(0, (await sdk.For(viewer.Id).GetPhotoAsync(photo.Id)).LikeCount);
        await sdk.For(viewer.Id).LikeAsync(photo.Id);
        await sdk.For(viewer.Id).AddCommentAsync(photo.Id, "nice");
        var seen = await sdk.For(viewer.Id).GetPhotoAsync(photo.Id);
        Assert.Equal((1L, 1L), (seen.LikeCount, seen.CommentCount));

        Assert.Equal(new FollowCounts(0, 0), await sdk.For(viewer.Id).GetFollowCountsAsync(owner.Id));
        await sdk.For(viewer.Id).FollowAsync(owner.Id);
        Assert.Equal(new FollowCounts(1, 0), await sdk.For(viewer.Id).GetFollowCountsAsync(owner.Id));
        Assert.Equal(new FollowCounts(0, 1), await sdk.For(owner.Id).GetFollowCountsAsync(viewer.Id));

        await sdk.For(owner.Id).DeletePhotoAsync(photo.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => sdk.For(viewer.Id).GetPhotoAsync(photo.Id));
        Assert.NotNull((await sdk.For(owner.Id).GetPhotoAsync(photo.Id)).DeletedAt);
        await sdk.For(owner.Id).RestorePhotoAsync(photo.Id);
        Assert.Equal(photo.Id, (await sdk.For(viewer.Id).GetPhotoAsync(photo.Id)).Id);
    }

    /// <summary>A public photo of a public account that every viewer may search from.</summary>
    private static async Task<Photo> AnchorAsync(ImageSocialService sdk, int seed)
    {
        var anchorer = await sdk.CreateUserAsync("anchorer", "Anchors");
        return await sdk.For(anchorer.Id).UploadPhotoAsync(Image(seed), new PhotoDraft("anchor"));
    }

    private static async Task AssertShownAsync(ActingUser viewer, PhotoId photo, PhotoId anchor, bool feed, bool twice)
    {
        for (var round = 0; round < (twice ? 2 : 1); round++)
        {
            Assert.Equal(photo, (await viewer.GetPhotoAsync(photo)).Id);
            Assert.Equal([photo], (await viewer.GetPhotosAsync([photo])).Select(p => p.Id));
            Assert.Contains(photo, (await viewer.FindSimilarAsync(anchor)).Select(s => s.Photo.Id));
            if (feed)
            {
                Assert.Contains(photo, (await viewer.GetFeedAsync()).Items.Select(p => p.Id));
            }

            (await viewer.OpenContentAsync(photo, RenditionKind.Thumb)).Dispose();
        }
    }

    private static async Task AssertHiddenAsync(ActingUser viewer, PhotoId photo, PhotoId anchor)
    {
        await Assert.ThrowsAsync<NotFoundException>(() => viewer.GetPhotoAsync(photo));
        Assert.Empty(await viewer.GetPhotosAsync([photo]));
        Assert.DoesNotContain(photo, (await viewer.FindSimilarAsync(anchor)).Select(s => s.Photo.Id));
        Assert.DoesNotContain(photo, (await viewer.GetFeedAsync()).Items.Select(p => p.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => viewer.OpenContentAsync(photo, RenditionKind.Thumb));
        await Assert.ThrowsAsync<NotFoundException>(() => viewer.LikeAsync(photo));
        await Assert.ThrowsAsync<NotFoundException>(() => viewer.GetCommentsAsync(photo));
    }

    public void Dispose()
    {
        meters.Dispose();
        host.Dispose();
    }
}
