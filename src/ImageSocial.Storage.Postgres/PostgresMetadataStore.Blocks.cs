using ImageSocial.ProviderServices;
using ImageSocial.Shared.Sql;

namespace ImageSocial.Storage.Postgres;

/// <remarks>A block is written on both users' shards (the blocked user's side first, so that the user it protects the blocker from sees
/// it at once) and removed in the reverse order; every call is idempotent, so a retry repairs a crash between the two writes.</remarks>
public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public async Task<bool> BlockAsync(UserId blocker, UserId blocked, CancellationToken cancellationToken = default)
    {
        RequireShards(blocker, blocked);
        await cluster.WriteAsync("Block", blocked.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("INSERT INTO {s}.blocked_by(user_id, blocker_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", s), cancellationToken, blocked.Value, blocker.Value),
            cancellationToken).ConfigureAwait(false);
        return await cluster.WriteAsync("Block", blocker.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("INSERT INTO {s}.blocks(user_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", s), cancellationToken, blocker.Value, blocked.Value),
            cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> UnblockAsync(UserId blocker, UserId blocked, CancellationToken cancellationToken = default)
    {
        RequireShards(blocker, blocked);
        var removed = await cluster.WriteAsync("Unblock", blocker.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("DELETE FROM {s}.blocks WHERE user_id = $1 AND blocked_id = $2", s), cancellationToken, blocker.Value, blocked.Value), cancellationToken).ConfigureAwait(false);
        await cluster.WriteAsync("Unblock", blocked.LogicalShard, (c, t, s) => Sql.ExecuteAsync(c, t,
            Sql.For("DELETE FROM {s}.blocked_by WHERE user_id = $1 AND blocker_id = $2", s), cancellationToken, blocked.Value, blocker.Value), cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    /// <inheritdoc />
    public Task<Page<UserId>> GetBlockedAsync(UserId blocker, PageRequest page, CancellationToken cancellationToken = default)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return !cluster.IsShard(blocker.LogicalShard) ? Task.FromResult(Page<UserId>.Empty) :
            cluster.ReadAsync("GetBlocked", blocker.LogicalShard, false, async (c, s) => ToPage(await Sql.QueryAsync(c, null, r => new UserId(r.GetInt64(0)), Sql.For(
                "SELECT blocked_id FROM {s}.blocks WHERE user_id = $1 AND blocked_id < $2 ORDER BY blocked_id DESC LIMIT $3", s),
                cancellationToken, blocker.Value, before ?? long.MaxValue, limit + 1).ConfigureAwait(false), limit, u => u.Value), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Read from the primary: a block must hold from the moment it was acknowledged.</remarks>
    public async Task<IReadOnlySet<UserId>> GetBlocksEitherWayAsync(UserId user, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(user.LogicalShard) ? new HashSet<UserId>() :
        (await cluster.ReadAsync("GetBlocksEitherWay", user.LogicalShard, false, (c, s) => Sql.QueryAsync(c, null, r => new UserId(r.GetInt64(0)), Sql.For(
            "SELECT blocked_id FROM {s}.blocks WHERE user_id = $1 UNION SELECT blocker_id FROM {s}.blocked_by WHERE user_id = $1", s), cancellationToken, user.Value),
            cancellationToken).ConfigureAwait(false)).ToHashSet();
}
