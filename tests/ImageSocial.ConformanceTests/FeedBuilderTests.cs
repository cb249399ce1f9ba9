namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IFeedBuilder))]
public abstract class FeedBuilderTests : MetadataSuite
{
    /// <summary>The feed builder over <see cref="MetadataSuite.Stores"/>.</summary>
    protected abstract IFeedBuilder CreateFeed(MetadataStores stores);

    [Fact]
    public virtual async Task Feed_merges_followees_newest_first_with_visibility()
    {
        var feed = CreateFeed(Stores);
        var viewer = await Stores.UserAsync("reader");
        var a = await Stores.UserAsync("autha");
        var b = await Stores.UserAsync("authb");
        var stranger = await Stores.UserAsync("nobody");
        await Stores.Graph.FollowAsync(viewer.Id, a.Id, false);
        await Stores.Graph.FollowAsync(viewer.Id, b.Id, false);
        var expected = new List<PhotoId>();
        for (var i = 0; i < 4; i++)
        {
            expected.Add((await Stores.PhotoAsync(i % 2 == 0 ? a : b, $"p{i}", Visibility.Followers)).Id);
            await Stores.PhotoAsync(a, "mine only", Visibility.Private);
            await Stores.PhotoAsync(stranger, "not followed");
        }

        var seen = new List<PhotoId>();
        string? cursor = null;
        do
        {
            var page = await feed.GetPageAsync(viewer.Id, new PageRequest(cursor, 3));
            seen.AddRange(page.Items.Select(p => p.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(expected.OrderByDescending(i => i.Value), seen);
    }

    [Fact]
    public virtual async Task Unfollow_and_delete_leave_the_feed()
    {
        var feed = CreateFeed(Stores);
        var viewer = await Stores.UserAsync("reader2");
        var a = await Stores.UserAsync("autha2");
        await Stores.Graph.FollowAsync(viewer.Id, a.Id, false);
        var photo = await Stores.PhotoAsync(a, "x");
        await feed.OnPublishedAsync(photo);
        Assert.Single((await feed.GetPageAsync(viewer.Id, new PageRequest())).Items);
        await Stores.Photos.SoftDeleteAsync(photo.Id, DateTimeOffset.UtcNow, []);
        await feed.OnDeletedAsync(photo);
        Assert.Empty((await feed.GetPageAsync(viewer.Id, new PageRequest())).Items);
        await Stores.Photos.RestoreAsync(photo.Id, []);
        await Stores.Graph.UnfollowAsync(viewer.Id, a.Id);
        await feed.OnUnfollowedAsync(viewer.Id, a.Id);
        Assert.Empty((await feed.GetPageAsync(viewer.Id, new PageRequest())).Items);
    }
}
