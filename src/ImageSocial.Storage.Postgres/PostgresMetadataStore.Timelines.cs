using Npgsql;
using ImageSocial.ProviderServices;

namespace ImageSocial.Storage.Postgres;

/// <remarks>Timelines and activity marks live on the server of their user's shard, in per-server tables written on the primary without
/// the shard's write fence (derived data: a row left on a shard's old server is never read again, and its user's timeline is rebuilt on
/// the new one). A push is one statement per server for all the followers there; it trims a timeline only now and then (about one push
/// in <see cref="TrimEvery"/>), and a read never looks past the newest <c>capacity</c> entries, so the extra rows are invisible.</remarks>
public sealed partial class PostgresMetadataStore
{
    private const int TrimEvery = 32;

    private const string TrimSql = """
        DELETE FROM imagesocial.timelines t USING unnest($1::bigint[]) o(id)
        WHERE t.owner_id = o.id AND t.photo_id < (SELECT photo_id FROM imagesocial.timelines WHERE owner_id = o.id ORDER BY photo_id DESC OFFSET $2 LIMIT 1)
        """;

    /// <inheritdoc />
    public async Task AddAsync(IReadOnlyCollection<UserId> owners, TimelineEntry entry, int capacity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if (owners.Count == 0)
        {
            return;
        }

        await OnUserServersAsync("TimelinePush", owners, async (c, ids) =>
        {
            await Sql.ExecuteAsync(c, null, """
                INSERT INTO imagesocial.timelines(owner_id, photo_id, author_id) SELECT o, $2, $3 FROM unnest($1::bigint[]) o ON CONFLICT DO NOTHING
                """, cancellationToken, ids, entry.Photo.Value, entry.Author.Value).ConfigureAwait(false);
            var trim = ids.Where(_ => Random.Shared.Next(TrimEvery) == 0).ToArray();
            if (trim.Length > 0)
            {
                await Sql.ExecuteAsync(c, null, TrimSql, cancellationToken, trim, capacity - 1).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AddManyAsync(UserId owner, IReadOnlyCollection<TimelineEntry> entries, int capacity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if (entries.Count == 0)
        {
            return;
        }

        await OnUserServersAsync("TimelineBackfill", [owner], async (c, ids) =>
        {
            await Sql.ExecuteAsync(c, null, """
                INSERT INTO imagesocial.timelines(owner_id, photo_id, author_id) SELECT $1, p, a FROM unnest($2::bigint[], $3::bigint[]) x(p, a) ON CONFLICT DO NOTHING
                """, cancellationToken, owner.Value, entries.Select(e => e.Photo.Value).ToArray(), entries.Select(e => e.Author.Value).ToArray()).ConfigureAwait(false);
            await Sql.ExecuteAsync(c, null, TrimSql, cancellationToken, ids, capacity - 1).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(UserId owner, PhotoId? before, int limit, int capacity, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        return await OnUserServersAsync("TimelineRead", [owner], (c, _) => Sql.QueryAsync(c, null, r => new TimelineEntry(new PhotoId(r.GetInt64(0)), new UserId(r.GetInt64(1))),
            before is null
                ? "SELECT photo_id, author_id FROM imagesocial.timelines WHERE owner_id = $1 AND $2::bigint IS NULL ORDER BY photo_id DESC LIMIT least($3, $4)"
                : """
                  SELECT photo_id, author_id FROM (SELECT photo_id, author_id FROM imagesocial.timelines WHERE owner_id = $1 ORDER BY photo_id DESC LIMIT $4) t
                  WHERE photo_id < $2 ORDER BY photo_id DESC LIMIT $3
                  """, cancellationToken, owner.Value, before?.Value, limit, capacity), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> RemoveAuthorAsync(UserId owner, UserId author, CancellationToken cancellationToken = default) =>
        (await OnUserServersAsync("TimelineRemoveAuthor", [owner], async (c, _) => new List<int>
        {
            await Sql.ExecuteAsync(c, null, "DELETE FROM imagesocial.timelines WHERE owner_id = $1 AND author_id = $2", cancellationToken, owner.Value, author.Value).ConfigureAwait(false),
        }, cancellationToken).ConfigureAwait(false)).Sum();

    /// <inheritdoc />
    public async Task<int> RemovePhotoAsync(PhotoId photo, CancellationToken cancellationToken = default) =>
        (await cluster.EveryServerAsync("TimelineRemovePhoto", false, async (_, c) => new List<int>
        {
            await Sql.ExecuteAsync(c, null, "DELETE FROM imagesocial.timelines WHERE photo_id = $1", cancellationToken, photo.Value).ConfigureAwait(false),
        }, cancellationToken).ConfigureAwait(false)).Sum();

    /// <inheritdoc />
    public async Task<bool> ClearAsync(UserId owner, CancellationToken cancellationToken = default) =>
        (await OnUserServersAsync("TimelineClear", [owner], async (c, _) => new List<int>
        {
            await Sql.ExecuteAsync(c, null, "DELETE FROM imagesocial.timelines WHERE owner_id = $1", cancellationToken, owner.Value).ConfigureAwait(false),
        }, cancellationToken).ConfigureAwait(false)).Sum() > 0;

    /// <inheritdoc />
    public Task MarkActiveAsync(UserId user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        OnUserServersAsync("MarkActive", [user], async (c, _) =>
        {
            await Sql.ExecuteAsync(c, null, """
                INSERT INTO imagesocial.feed_activity(user_id, at) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET at = greatest(imagesocial.feed_activity.at, excluded.at)
                """, cancellationToken, user.Value, at).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlySet<UserId>> GetActiveAsync(IReadOnlyCollection<UserId> users, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (users.Count == 0)
        {
            return new HashSet<UserId>();
        }

        return (await OnUserServersAsync("GetActive", users, (c, ids) => Sql.QueryAsync(c, null, r => new UserId(r.GetInt64(0)),
            "SELECT user_id FROM imagesocial.feed_activity WHERE user_id = ANY($1) AND at >= $2", cancellationToken, ids, since), cancellationToken).ConfigureAwait(false)).ToHashSet();
    }

    /// <inheritdoc />
    public Task SetPulledAsync(UserId author, bool pulled, CancellationToken cancellationToken = default) =>
        OnUserServersAsync("SetPulled", [author], async (c, _) =>
        {
            await Sql.ExecuteAsync(c, null, pulled ? "INSERT INTO imagesocial.feed_pulled(author_id) VALUES ($1) ON CONFLICT DO NOTHING" : "DELETE FROM imagesocial.feed_pulled WHERE author_id = $1",
                cancellationToken, author.Value).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlySet<UserId>> GetPulledAsync(CancellationToken cancellationToken = default) =>
        (await cluster.EveryServerAsync("GetPulled", false, (_, c) => Sql.QueryAsync(c, null, r => new UserId(r.GetInt64(0)), "SELECT author_id FROM imagesocial.feed_pulled", cancellationToken),
            cancellationToken).ConfigureAwait(false)).ToHashSet();

    /// <summary>Runs <paramref name="body"/> on the primary of each server holding some of the users' shards, with those users' ids.</summary>
    private Task<List<T>> OnUserServersAsync<T>(string operation, IEnumerable<UserId> users, Func<NpgsqlConnection, long[], Task<List<T>>> body, CancellationToken cancellationToken) =>
        cluster.FanOutAsync(operation, users.Select(u => u.Value).Distinct(), ShardOf, false,
            (c, shards) => body(c, shards.SelectMany(g => g).ToArray()), cancellationToken);

    private async Task OnUserServersAsync(string operation, IEnumerable<UserId> users, Func<NpgsqlConnection, long[], Task<int>> body, CancellationToken cancellationToken) =>
        await OnUserServersAsync(operation, users, async (c, ids) => new List<int> { await body(c, ids).ConfigureAwait(false) }, cancellationToken).ConfigureAwait(false);
}
