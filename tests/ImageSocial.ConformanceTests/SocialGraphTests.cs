namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(ISocialGraph))]
public abstract class SocialGraphTests : MetadataSuite
{
    [Fact]
    public virtual async Task Follow_public_account_is_immediate_and_idempotent()
    {
        var a = await Stores.UserAsync("fa");
        var b = await Stores.UserAsync("fb");
        Assert.Equal(FollowState.Following, await Stores.Graph.FollowAsync(a.Id, b.Id, false));
        Assert.Equal(FollowState.Following, await Stores.Graph.FollowAsync(a.Id, b.Id, false));
        Assert.Equal((1L, 0L), await Stores.Graph.GetCountsAsync(b.Id));
        Assert.Equal([a.Id], (await Stores.Graph.GetFollowersAsync(b.Id, new PageRequest())).Items);
        Assert.Equal([b.Id], (await Stores.Graph.GetFollowingAsync(a.Id, new PageRequest())).Items);
    }

    [Fact]
    public virtual async Task Private_account_request_is_pending_until_approved()
    {
        var a = await Stores.UserAsync("pa");
        var b = await Stores.UserAsync("pb", isPrivate: true);
        Assert.Equal(FollowState.Pending, await Stores.Graph.FollowAsync(a.Id, b.Id, true));
        Assert.Empty((await Stores.Graph.GetFollowersAsync(b.Id, new PageRequest())).Items);
        Assert.Equal([a.Id], (await Stores.Graph.GetPendingRequestsAsync(b.Id, new PageRequest())).Items);
        Assert.True(await Stores.Graph.ApproveAsync(b.Id, a.Id));
        Assert.False(await Stores.Graph.ApproveAsync(b.Id, a.Id));
        Assert.Equal(FollowState.Following, await Stores.Graph.GetStateAsync(a.Id, b.Id));
    }

    [Fact]
    public virtual async Task Reject_removes_the_request()
    {
        var a = await Stores.UserAsync("ra");
        var b = await Stores.UserAsync("rb", isPrivate: true);
        await Stores.Graph.FollowAsync(a.Id, b.Id, true);
        Assert.True(await Stores.Graph.RejectAsync(b.Id, a.Id));
        Assert.Equal(FollowState.None, await Stores.Graph.GetStateAsync(a.Id, b.Id));
    }

    [Fact]
    public virtual async Task Followed_among_answers_only_approved_follows_of_the_candidates()
    {
        var me = await Stores.UserAsync("among-me");
        var (followed, pending, stranger, other) = (await Stores.UserAsync("among-a"), await Stores.UserAsync("among-b", isPrivate: true),
            await Stores.UserAsync("among-c"), await Stores.UserAsync("among-d"));
        await Stores.Graph.FollowAsync(me.Id, followed.Id, false);
        await Stores.Graph.FollowAsync(me.Id, pending.Id, true);
        await Stores.Graph.FollowAsync(me.Id, other.Id, false);
        Assert.Equal([followed.Id], await Stores.Graph.GetFollowedAmongAsync(me.Id, [followed.Id, pending.Id, stranger.Id, followed.Id]));
        Assert.Empty(await Stores.Graph.GetFollowedAmongAsync(me.Id, []));
        Assert.Empty(await Stores.Graph.GetFollowedAmongAsync(stranger.Id, [followed.Id]));
    }

    [Fact]
    public virtual async Task Followers_page_with_cursor_and_unfollow()
    {
        var star = await Stores.UserAsync("star");
        var fans = new List<UserId>();
        for (var i = 0; i < 5; i++)
        {
            var fan = await Stores.UserAsync($"fan{i}");
            await Stores.Graph.FollowAsync(fan.Id, star.Id, false);
            fans.Add(fan.Id);
        }

        var first = await Stores.Graph.GetFollowersAsync(star.Id, new PageRequest(null, 3));
        var second = await Stores.Graph.GetFollowersAsync(star.Id, new PageRequest(first.NextCursor, 3));
        Assert.Equal(3, first.Items.Count);
        Assert.Null(second.NextCursor);
        Assert.Equal(fans.OrderByDescending(f => f.Value), first.Items.Concat(second.Items));
        Assert.True(await Stores.Graph.UnfollowAsync(fans[0], star.Id));
        Assert.False(await Stores.Graph.UnfollowAsync(fans[0], star.Id));
        Assert.Equal(4, (await Stores.Graph.GetCountsAsync(star.Id)).Followers);
    }

    [Fact]
    public virtual async Task Malformed_cursor_is_a_validation_error()
    {
        var a = await Stores.UserAsync("cur");
        await Assert.ThrowsAsync<ValidationException>(() => Stores.Graph.GetFollowersAsync(a.Id, new PageRequest("'; DROP TABLE follows;--")));
    }

    [Fact]
    public virtual async Task A_block_is_listed_for_the_blocker_and_seen_from_both_sides_until_removed()
    {
        var a = await Stores.UserAsync("blocker");
        var b = await Stores.UserAsync("blocked");
        var c = await Stores.UserAsync("bystander");
        Assert.True(await Stores.Graph.BlockAsync(a.Id, b.Id));
        Assert.False(await Stores.Graph.BlockAsync(a.Id, b.Id));
        Assert.Equal([b.Id], (await Stores.Graph.GetBlockedAsync(a.Id, new PageRequest())).Items);
        Assert.Empty((await Stores.Graph.GetBlockedAsync(b.Id, new PageRequest())).Items);
        Assert.Equal([b.Id], await Stores.Graph.GetBlocksEitherWayAsync(a.Id));
        Assert.Equal([a.Id], await Stores.Graph.GetBlocksEitherWayAsync(b.Id));
        Assert.Empty(await Stores.Graph.GetBlocksEitherWayAsync(c.Id));

        // Both ways at once: still one account on the other side.
        Assert.True(await Stores.Graph.BlockAsync(b.Id, a.Id));
        Assert.Equal([b.Id], await Stores.Graph.GetBlocksEitherWayAsync(a.Id));
        Assert.True(await Stores.Graph.UnblockAsync(b.Id, a.Id));

        Assert.True(await Stores.Graph.UnblockAsync(a.Id, b.Id));
        Assert.False(await Stores.Graph.UnblockAsync(a.Id, b.Id));
        Assert.Empty(await Stores.Graph.GetBlocksEitherWayAsync(a.Id));
        Assert.Empty(await Stores.Graph.GetBlocksEitherWayAsync(b.Id));
        Assert.Empty((await Stores.Graph.GetBlockedAsync(a.Id, new PageRequest())).Items);
    }

    [Fact]
    public virtual async Task Blocked_accounts_page_newest_first_with_a_cursor()
    {
        var a = await Stores.UserAsync("pager");
        var blocked = new List<UserId>();
        for (var i = 0; i < 5; i++)
        {
            var other = await Stores.UserAsync($"blocked{i}");
            await Stores.Graph.BlockAsync(a.Id, other.Id);
            blocked.Add(other.Id);
        }

        var first = await Stores.Graph.GetBlockedAsync(a.Id, new PageRequest(null, 3));
        var second = await Stores.Graph.GetBlockedAsync(a.Id, new PageRequest(first.NextCursor, 3));
        Assert.Equal(blocked.OrderByDescending(u => u.Value), first.Items.Concat(second.Items));
        Assert.Null(second.NextCursor);
    }
}
