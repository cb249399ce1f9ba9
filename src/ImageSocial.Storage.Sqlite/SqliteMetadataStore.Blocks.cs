using ImageSocial.ProviderServices;

namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public Task<bool> BlockAsync(UserId blocker, UserId blocked, CancellationToken cancellationToken = default) =>
        WriteAsync("Block", (c, t) => Execute(c, t, "INSERT INTO blocks(blocker, blocked) VALUES (@a, @b) ON CONFLICT DO NOTHING",
            ("@a", blocker.Value), ("@b", blocked.Value)) > 0, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UnblockAsync(UserId blocker, UserId blocked, CancellationToken cancellationToken = default) =>
        WriteAsync("Unblock", (c, t) => Execute(c, t, "DELETE FROM blocks WHERE blocker = @a AND blocked = @b", ("@a", blocker.Value), ("@b", blocked.Value)) > 0,
            cancellationToken);

    /// <inheritdoc />
    public Task<Page<UserId>> GetBlockedAsync(UserId blocker, PageRequest page, CancellationToken cancellationToken = default)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return ReadAsync("GetBlocked", c => ToPage(Query(c, null, r => new UserId(r.GetInt64(0)),
            "SELECT blocked FROM blocks WHERE blocker = @u AND blocked < @before ORDER BY blocked DESC LIMIT @n",
            ("@u", blocker.Value), ("@before", before ?? long.MaxValue), ("@n", limit + 1)), limit, u => u.Value), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<UserId>> GetBlocksEitherWayAsync(UserId user, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlySet<UserId>>("GetBlocksEitherWay", c => Query(c, null, r => new UserId(r.GetInt64(0)),
            "SELECT blocked FROM blocks WHERE blocker = @u UNION SELECT blocker FROM blocks WHERE blocked = @u", ("@u", user.Value)).ToHashSet(), cancellationToken);
}
