using ImageSocial.ProviderServices;
using ImageSocial.Shared.Sql;
namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public Task<FollowState> FollowAsync(UserId follower, UserId followee, bool requiresApproval, CancellationToken cancellationToken = default) =>
        WriteAsync("Follow", (c, t) =>
        {
            Execute(c, t, "INSERT INTO follows(follower, followee, state) VALUES (@a, @b, @s) ON CONFLICT DO NOTHING",
                ("@a", follower.Value), ("@b", followee.Value), ("@s", (int)(requiresApproval ? FollowState.Pending : FollowState.Following)));
            return (FollowState)Convert.ToInt32(Scalar(c, t, "SELECT state FROM follows WHERE follower = @a AND followee = @b", ("@a", follower.Value), ("@b", followee.Value)), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UnfollowAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default) =>
        WriteAsync("Unfollow", (c, t) => Execute(c, t, "DELETE FROM follows WHERE follower = @a AND followee = @b", ("@a", follower.Value), ("@b", followee.Value)) > 0, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ApproveAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default) =>
        WriteAsync("ApproveFollow", (c, t) => Execute(c, t, $"UPDATE follows SET state = {VisibilityRule.Approved} WHERE follower = @a AND followee = @b AND state = {VisibilityRule.Pending}",
            ("@a", requester.Value), ("@b", owner.Value)) > 0, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RejectAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default) =>
        WriteAsync("RejectFollow", (c, t) => Execute(c, t, $"DELETE FROM follows WHERE follower = @a AND followee = @b AND state = {VisibilityRule.Pending}",
            ("@a", requester.Value), ("@b", owner.Value)) > 0, cancellationToken);

    /// <inheritdoc />
    public Task<FollowState> GetStateAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default) =>
        ReadAsync("GetFollowState", c => Scalar(c, null, "SELECT state FROM follows WHERE follower = @a AND followee = @b", ("@a", follower.Value), ("@b", followee.Value)) is long s
            ? (FollowState)s : FollowState.None, cancellationToken);

    /// <inheritdoc />
    public Task<Page<UserId>> GetFollowersAsync(UserId user, PageRequest page, CancellationToken cancellationToken = default) =>
        EdgePage("GetFollowers", "follower", "followee", FollowState.Following, user, page, cancellationToken);

    /// <inheritdoc />
    public Task<Page<UserId>> GetFollowingAsync(UserId user, PageRequest page, CancellationToken cancellationToken = default) =>
        EdgePage("GetFollowing", "followee", "follower", FollowState.Following, user, page, cancellationToken);

    /// <inheritdoc />
    public Task<Page<UserId>> GetPendingRequestsAsync(UserId owner, PageRequest page, CancellationToken cancellationToken = default) =>
        EdgePage("GetFollowRequests", "follower", "followee", FollowState.Pending, owner, page, cancellationToken);

    /// <inheritdoc />
    public Task<(long Followers, long Following)> GetCountsAsync(UserId user, CancellationToken cancellationToken = default) =>
        ReadAsync("GetFollowCounts", c => (
            (long)Scalar(c, null, $"SELECT count(*) FROM follows WHERE followee = @u AND state = {VisibilityRule.Approved}", ("@u", user.Value))!,
            (long)Scalar(c, null, $"SELECT count(*) FROM follows WHERE follower = @u AND state = {VisibilityRule.Approved}", ("@u", user.Value))!), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlySet<UserId>> GetFollowedAmongAsync(UserId user, IReadOnlyCollection<UserId> candidates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates.Count == 0 ? Task.FromResult<IReadOnlySet<UserId>>(new HashSet<UserId>()) :
            ReadAsync<IReadOnlySet<UserId>>("GetFollowedAmong", c => Query(c, null, r => new UserId(r.GetInt64(0)),
                // The unary + keeps the planner on the follower's own range of the primary key (as many rows as the user follows) instead
                // of one seek per candidate into the followee index, which a feed's hundreds of candidates make the slower plan.
                $"SELECT followee FROM follows WHERE follower = @u AND +followee IN (SELECT value FROM json_each(@c)) AND state = {VisibilityRule.Approved}",
                ("@u", user.Value), ("@c", JsonIds(candidates.Select(x => x.Value)))).ToHashSet(), cancellationToken);
    }

    /// <remarks>The cursor is always a bound (the largest id for the first page): <c>@before IS NULL OR ...</c> would keep it from bounding
    /// the index range, and every page would walk the rows of the pages before it.</remarks>
    private Task<Page<UserId>> EdgePage(string operation, string select, string where, FollowState state, UserId user, PageRequest page, CancellationToken cancellationToken)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return ReadAsync(operation, c => ToPage(Query(c, null, r => new UserId(r.GetInt64(0)),
            $"SELECT {select} FROM follows WHERE {where} = @u AND state = @s AND {select} < @before ORDER BY {select} DESC LIMIT @n",
            ("@u", user.Value), ("@s", (int)state), ("@before", before ?? long.MaxValue), ("@n", limit + 1)), limit, u => u.Value), cancellationToken);
    }
}
