using ImageSocial.Shared.Sql;
using ImageSocial.ProviderServices;
namespace ImageSocial.Storage.Postgres;

/// <remarks>Each edge is written on both users' shards, which may be on two servers: the followee's side (authoritative, and copied
/// into its server's follower index in the same transaction, where visibility reads it) is added or approved first and removed last.
/// A crash between the two writes leaves at most the follower's own list out of step, which the caller's retry (every call is
/// idempotent) repairs.</remarks>
public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public async Task<FollowState> FollowAsync(UserId follower, UserId followee, bool requiresApproval, CancellationToken cancellationToken = default)
    {
        RequireShards(follower, followee);
        var wanted = (short)(requiresApproval ? FollowState.Pending : FollowState.Following);
        var state = await cluster.WriteAsync("Follow", followee.LogicalShard, async (c, t, s) =>
        {
            var state = (short)(await Sql.ScalarAsync(c, t, Sql.For("""
                INSERT INTO {s}.followers(user_id, follower_id, state) VALUES ($1, $2, $3)
                ON CONFLICT (user_id, follower_id) DO UPDATE SET state = {s}.followers.state RETURNING state
                """, s), cancellationToken, followee.Value, follower.Value, wanted).ConfigureAwait(false))!;
            await SyncFollowerAsync(c, t, s, followee, follower, cancellationToken).ConfigureAwait(false);
            return state;
        }, cancellationToken).ConfigureAwait(false);
        await MirrorAsync(follower, followee, state, cancellationToken).ConfigureAwait(false);
        return (FollowState)state;
    }

    /// <inheritdoc />
    public async Task<bool> UnfollowAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default)
    {
        RequireShards(follower, followee);
        var mirrored = await UnmirrorAsync(follower, followee, cancellationToken).ConfigureAwait(false);
        var removed = await FolloweeSideAsync("Unfollow", followee, follower, "DELETE FROM {s}.followers WHERE user_id = $1 AND follower_id = $2", cancellationToken).ConfigureAwait(false);
        return removed + mirrored > 0;
    }

    /// <inheritdoc />
    public async Task<bool> ApproveAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default)
    {
        RequireShards(owner, requester);
        var approved = await FolloweeSideAsync("ApproveFollow", owner, requester, $"UPDATE {{s}}.followers SET state = {VisibilityRule.Approved} WHERE user_id = $1 AND follower_id = $2 AND state = {VisibilityRule.Pending}", cancellationToken).ConfigureAwait(false);
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
            Sql.For($"DELETE FROM {{s}}.following WHERE user_id = $1 AND followee_id = $2 AND state = {VisibilityRule.Pending}", s), cancellationToken, requester.Value, owner.Value), cancellationToken).ConfigureAwait(false);
        return await FolloweeSideAsync("RejectFollow", owner, requester, $"DELETE FROM {{s}}.followers WHERE user_id = $1 AND follower_id = $2 AND state = {VisibilityRule.Pending}", cancellationToken).ConfigureAwait(false) > 0;
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
            var row = await Sql.QueryAsync(c, null, r => (r.GetInt64(0), r.GetInt64(1)), Sql.For($$"""
                SELECT (SELECT count(*) FROM {s}.followers WHERE user_id = $1 AND state = {{VisibilityRule.Approved}}), (SELECT count(*) FROM {s}.following WHERE user_id = $1 AND state = {{VisibilityRule.Approved}})
                """, s), cancellationToken, user.Value).ConfigureAwait(false);
            return row[0];
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlySet<UserId>> GetFollowedAmongAsync(UserId user, IReadOnlyCollection<UserId> candidates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0 || !cluster.IsShard(user.LogicalShard))
        {
            return new HashSet<UserId>();
        }

        return (await cluster.ReadAsync("GetFollowedAmong", user.LogicalShard, true, (c, s) => Sql.QueryAsync(c, null, r => new UserId(r.GetInt64(0)), Sql.For($$"""
            SELECT followee_id FROM {s}.following WHERE user_id = $1 AND followee_id = ANY($2) AND state = {{VisibilityRule.Approved}}
            """, s), cancellationToken, user.Value, candidates.Select(x => x.Value).Distinct().ToArray()), cancellationToken).ConfigureAwait(false)).ToHashSet();
    }

    /// <summary>Changes the followee's side of an edge (<c>$1</c> followee, <c>$2</c> follower) and its follower-index row together.</summary>
    private Task<int> FolloweeSideAsync(string operation, UserId followee, UserId follower, string sql, CancellationToken cancellationToken) =>
        cluster.WriteAsync(operation, followee.LogicalShard, async (c, t, s) =>
        {
            var changed = await Sql.ExecuteAsync(c, t, Sql.For(sql, s), cancellationToken, followee.Value, follower.Value).ConfigureAwait(false);
            if (changed > 0)
            {
                await SyncFollowerAsync(c, t, s, followee, follower, cancellationToken).ConfigureAwait(false);
            }

            return changed;
        }, cancellationToken);

    private static Task SyncFollowerAsync(Npgsql.NpgsqlConnection c, Npgsql.NpgsqlTransaction t, string schema, UserId followee, UserId follower, CancellationToken ct) =>
        Sql.ExecuteAsync(c, t, Sql.For(PgSchema.SyncFollower, schema), ct, followee.Value, follower.Value, followee.LogicalShard);

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
                SELECT {{column}} FROM {s}.{{table}} WHERE user_id = $1 AND state = $2 AND {{column}} < $3 ORDER BY {{column}} DESC LIMIT $4
                """, s), cancellationToken, user.Value, (short)state, before ?? long.MaxValue, limit + 1).ConfigureAwait(false), limit, u => u.Value), cancellationToken);
    }

    private void RequireShards(UserId a, UserId b)
    {
        if (!cluster.IsShard(a.LogicalShard) || !cluster.IsShard(b.LogicalShard))
        {
            throw new NotFoundException("The user does not exist.");
        }
    }
}
