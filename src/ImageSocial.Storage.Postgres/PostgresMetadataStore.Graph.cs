namespace ImageSocial.Storage.Postgres;

/// <remarks>Each edge is written on both users' shards, which may be on two servers, so the writes are ordered: the followee's side
/// (authoritative) is added or approved first and removed last, and each call re-checks the other side at its end (a follow drops
/// its mirror if the followee's side is gone; an unfollow deletes the mirror again). So the follower's side never shows an approved
/// edge the followee's side lacks, and reads across users may filter by it (the viewer's followees, one read on the viewer's
/// shard). A crash between the writes leaves at most the follower's side missing an edge, which the caller's retry (every call is
/// idempotent) repairs.</remarks>
public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public async Task<FollowState> FollowAsync(UserId follower, UserId followee, bool requiresApproval, CancellationToken cancellationToken = default)
    {
        RequireShards(follower, followee);
        var wanted = (short)(requiresApproval ? FollowState.Pending : FollowState.Following);
        var state = await cluster.WriteAsync("Follow", followee.LogicalShard, async (c, t, s) => (short)(await Sql.ScalarAsync(c, t, Sql.For("""
            INSERT INTO {s}.followers(user_id, follower_id, state) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, follower_id) DO UPDATE SET state = {s}.followers.state RETURNING state
            """, s), cancellationToken, followee.Value, follower.Value, wanted).ConfigureAwait(false))!, cancellationToken).ConfigureAwait(false);
        await MirrorAsync(follower, followee, state, cancellationToken).ConfigureAwait(false);
        // A concurrent unfollow may have removed the followee's side meanwhile: the mirror must not outlive it.
        var now = await GetStateAsync(follower, followee, cancellationToken).ConfigureAwait(false);
        if (now != (FollowState)state)
        {
            await UnmirrorAsync(follower, followee, cancellationToken).ConfigureAwait(false);
            if (now != FollowState.None)
            {
                await MirrorAsync(follower, followee, (short)now, cancellationToken).ConfigureAwait(false);
            }
        }

        return (FollowState)state;
    }

    /// <inheritdoc />
    public async Task<bool> UnfollowAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default)
    {
        RequireShards(follower, followee);
        var mirrored = await UnmirrorAsync(follower, followee, cancellationToken).ConfigureAwait(false);
        var removed = await cluster.WriteAsync("Unfollow", followee.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("DELETE FROM {s}.followers WHERE user_id = $1 AND follower_id = $2", s), cancellationToken, followee.Value, follower.Value), cancellationToken).ConfigureAwait(false);
        // Again, in case a concurrent follow mirrored the edge between the two deletes.
        mirrored += await UnmirrorAsync(follower, followee, cancellationToken).ConfigureAwait(false);
        return removed + mirrored > 0;
    }

    /// <inheritdoc />
    public async Task<bool> ApproveAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default)
    {
        RequireShards(owner, requester);
        var approved = await cluster.WriteAsync("ApproveFollow", owner.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("UPDATE {s}.followers SET state = 2 WHERE user_id = $1 AND follower_id = $2 AND state = 1", s), cancellationToken, owner.Value, requester.Value), cancellationToken).ConfigureAwait(false);
        if (approved > 0 || await GetStateAsync(requester, owner, cancellationToken).ConfigureAwait(false) == FollowState.Following)
        {
            await MirrorAsync(requester, owner, (short)FollowState.Following, cancellationToken).ConfigureAwait(false);
        }

        return approved > 0;
    }

    /// <inheritdoc />
    public async Task<bool> RejectAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default)
    {
        RequireShards(owner, requester);
        await cluster.WriteAsync("RejectFollow", requester.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("DELETE FROM {s}.following WHERE user_id = $1 AND followee_id = $2 AND state = 1", s), cancellationToken, requester.Value, owner.Value), cancellationToken).ConfigureAwait(false);
        return await cluster.WriteAsync("RejectFollow", owner.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("DELETE FROM {s}.followers WHERE user_id = $1 AND follower_id = $2 AND state = 1", s), cancellationToken, owner.Value, requester.Value), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public Task<FollowState> GetStateAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(followee.LogicalShard) ? Task.FromResult(FollowState.None) :
        cluster.ReadAsync("GetFollowState", followee.LogicalShard, false, async (c, s) =>
            await Sql.ScalarAsync(c, null, Sql.For("SELECT state FROM {s}.followers WHERE user_id = $1 AND follower_id = $2", s), cancellationToken, followee.Value, follower.Value).ConfigureAwait(false) is short state
                ? (FollowState)state : FollowState.None, cancellationToken);

    /// <inheritdoc />
    public Task<Page<UserId>> GetFollowersAsync(UserId user, PageRequest page, CancellationToken cancellationToken = default) =>
        EdgePage("GetFollowers", "followers", "follower_id", FollowState.Following, user, page, cancellationToken);

    /// <inheritdoc />
    public Task<Page<UserId>> GetFollowingAsync(UserId user, PageRequest page, CancellationToken cancellationToken = default) =>
        EdgePage("GetFollowing", "following", "followee_id", FollowState.Following, user, page, cancellationToken);

    /// <inheritdoc />
    public Task<Page<UserId>> GetPendingRequestsAsync(UserId owner, PageRequest page, CancellationToken cancellationToken = default) =>
        EdgePage("GetFollowRequests", "followers", "follower_id", FollowState.Pending, owner, page, cancellationToken);

    /// <inheritdoc />
    public Task<(long Followers, long Following)> GetCountsAsync(UserId user, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(user.LogicalShard) ? Task.FromResult((0L, 0L)) :
        cluster.ReadAsync("GetFollowCounts", user.LogicalShard, true, async (c, s) =>
        {
            var row = await Sql.QueryAsync(c, null, r => (r.GetInt64(0), r.GetInt64(1)), Sql.For("""
                SELECT (SELECT count(*) FROM {s}.followers WHERE user_id = $1 AND state = 2), (SELECT count(*) FROM {s}.following WHERE user_id = $1 AND state = 2)
                """, s), cancellationToken, user.Value).ConfigureAwait(false);
            return row[0];
        }, cancellationToken);

    /// <summary>Every approved followee of a user, from the user's own shard (the search filter's candidate owners).</summary>
    private Task<long[]> ApprovedFolloweesAsync(UserId user, CancellationToken cancellationToken) =>
        !cluster.IsShard(user.LogicalShard) ? Task.FromResult<long[]>([]) :
        cluster.ReadAsync("GetFollowing", user.LogicalShard, true, async (c, s) => (await Sql.QueryAsync(c, null, r => r.GetInt64(0),
            Sql.For("SELECT followee_id FROM {s}.following WHERE user_id = $1 AND state = 2", s), cancellationToken, user.Value).ConfigureAwait(false)).ToArray(), cancellationToken);

    private Task MirrorAsync(UserId follower, UserId followee, short state, CancellationToken cancellationToken) =>
        cluster.WriteAsync("Follow", follower.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t, Sql.For("""
            INSERT INTO {s}.following(user_id, followee_id, state) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, followee_id) DO UPDATE SET state = excluded.state
            """, s), cancellationToken, follower.Value, followee.Value, state), cancellationToken);

    private Task<int> UnmirrorAsync(UserId follower, UserId followee, CancellationToken cancellationToken) =>
        cluster.WriteAsync("Unfollow", follower.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("DELETE FROM {s}.following WHERE user_id = $1 AND followee_id = $2", s), cancellationToken, follower.Value, followee.Value), cancellationToken);

    private Task<Page<UserId>> EdgePage(string operation, string table, string column, FollowState state, UserId user, PageRequest page, CancellationToken cancellationToken)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return !cluster.IsShard(user.LogicalShard) ? Task.FromResult(Page<UserId>.Empty) :
            cluster.ReadAsync(operation, user.LogicalShard, true, async (c, s) => ToPage(await Sql.QueryAsync(c, null, r => new UserId(r.GetInt64(0)), Sql.For($$"""
                SELECT {{column}} FROM {s}.{{table}} WHERE user_id = $1 AND state = $2 AND ($3::bigint IS NULL OR {{column}} < $3) ORDER BY {{column}} DESC LIMIT $4
                """, s), cancellationToken, user.Value, (short)state, before, limit + 1).ConfigureAwait(false), limit, u => u.Value), cancellationToken);
    }

    private void RequireShards(UserId a, UserId b)
    {
        if (!cluster.IsShard(a.LogicalShard) || !cluster.IsShard(b.LogicalShard))
        {
            throw new NotFoundException("The user does not exist.");
        }
    }
}
