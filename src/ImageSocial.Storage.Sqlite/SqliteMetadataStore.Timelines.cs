using ImageSocial.ProviderServices;

namespace ImageSocial.Storage.Sqlite;

/// <remarks>Timelines live in one table keyed (owner, photo), so a page is one index range. A push trims a timeline only now and then
/// (about one push in <see cref="TrimEvery"/>): a read never looks past the newest <c>capacity</c> entries, so the few extra rows are
/// invisible, and fan-out does one insert per follower instead of an insert and a ranked delete.</remarks>
public sealed partial class SqliteMetadataStore
{
    private const int TrimEvery = 32;
    private const int OwnersPerWrite = 1000;
    private const string InsertEntry = "INSERT OR IGNORE INTO timelines(owner, photo, author) VALUES (@o, @p, @a)";

    /// <inheritdoc />
    public async Task AddAsync(IReadOnlyCollection<UserId> owners, TimelineEntry entry, int capacity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        // Chunks, so that other writes take their turn in the single writer between them.
        foreach (var chunk in owners.Distinct().Chunk(OwnersPerWrite))
        {
            await WriteAsync("TimelinePush", (c, t) =>
            {
                using var insert = Command(c, t, InsertEntry, ("@o", 0L), ("@p", entry.Photo.Value), ("@a", entry.Author.Value));
                foreach (var owner in chunk)
                {
                    insert.Parameters["@o"].Value = owner.Value;
                    insert.ExecuteNonQuery();
                    if (Random.Shared.Next(TrimEvery) == 0)
                    {
                        Trim(c, t, owner, capacity);
                    }
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task AddManyAsync(UserId owner, IReadOnlyCollection<TimelineEntry> entries, int capacity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        return entries.Count == 0 ? Task.CompletedTask : WriteAsync("TimelineBackfill", (c, t) =>
        {
            using var insert = Command(c, t, InsertEntry, ("@o", owner.Value), ("@p", 0L), ("@a", 0L));
            foreach (var entry in entries)
            {
                insert.Parameters["@p"].Value = entry.Photo.Value;
                insert.Parameters["@a"].Value = entry.Author.Value;
                insert.ExecuteNonQuery();
            }

            Trim(c, t, owner, capacity);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TimelineEntry>> ReadAsync(UserId owner, PhotoId? before, int limit, int capacity, CancellationToken cancellationToken = default) =>
        limit <= 0 ? Task.FromResult<IReadOnlyList<TimelineEntry>>([]) : ReadAsync<IReadOnlyList<TimelineEntry>>("TimelineRead", c => Query(c, null,
            r => new TimelineEntry(new PhotoId(r.GetInt64(0)), new UserId(r.GetInt64(1))),
            before is null
                ? "SELECT photo, author FROM timelines WHERE owner = @o ORDER BY photo DESC LIMIT min(@n, @cap)"
                : "SELECT photo, author FROM (SELECT photo, author FROM timelines WHERE owner = @o ORDER BY photo DESC LIMIT @cap) WHERE photo < @before ORDER BY photo DESC LIMIT @n",
            ("@o", owner.Value), ("@before", before?.Value), ("@n", limit), ("@cap", capacity)), cancellationToken);

    /// <inheritdoc />
    public Task<int> RemoveAuthorAsync(UserId owner, UserId author, CancellationToken cancellationToken = default) =>
        WriteAsync("TimelineRemoveAuthor", (c, t) => Execute(c, t, "DELETE FROM timelines WHERE owner = @o AND author = @a", ("@o", owner.Value), ("@a", author.Value)), cancellationToken);

    /// <inheritdoc />
    public Task<int> RemovePhotoAsync(PhotoId photo, CancellationToken cancellationToken = default) =>
        WriteAsync("TimelineRemovePhoto", (c, t) => Execute(c, t, "DELETE FROM timelines WHERE photo = @p", ("@p", photo.Value)), cancellationToken);

    /// <inheritdoc />
    public Task<bool> ClearAsync(UserId owner, CancellationToken cancellationToken = default) =>
        WriteAsync("TimelineClear", (c, t) => Execute(c, t, "DELETE FROM timelines WHERE owner = @o", ("@o", owner.Value)) > 0, cancellationToken);

    /// <inheritdoc />
    public Task MarkActiveAsync(UserId user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync("MarkActive", (c, t) => Execute(c, t, "INSERT INTO feed_activity(user_id, at) VALUES (@u, @at) ON CONFLICT(user_id) DO UPDATE SET at = max(at, excluded.at)",
            ("@u", user.Value), ("@at", at.ToUnixTimeMilliseconds())), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlySet<UserId>> GetActiveAsync(IReadOnlyCollection<UserId> users, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        return users.Count == 0 ? Task.FromResult<IReadOnlySet<UserId>>(new HashSet<UserId>()) : ReadAsync<IReadOnlySet<UserId>>("GetActive", c => Query(c, null,
            r => new UserId(r.GetInt64(0)), "SELECT user_id FROM feed_activity WHERE user_id IN (SELECT value FROM json_each(@u)) AND at >= @since",
            ("@u", JsonIds(users.Select(u => u.Value))), ("@since", since.ToUnixTimeMilliseconds())).ToHashSet(), cancellationToken);
    }

    /// <inheritdoc />
    public Task SetPulledAsync(UserId author, bool pulled, CancellationToken cancellationToken = default) =>
        WriteAsync("SetPulled", (c, t) => Execute(c, t, pulled ? "INSERT OR IGNORE INTO feed_pulled(author) VALUES (@a)" : "DELETE FROM feed_pulled WHERE author = @a",
            ("@a", author.Value)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlySet<UserId>> GetPulledAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlySet<UserId>>("GetPulled", c => Query(c, null, r => new UserId(r.GetInt64(0)), "SELECT author FROM feed_pulled").ToHashSet(), cancellationToken);

    private static void Trim(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, UserId owner, int capacity) =>
        Execute(c, t, "DELETE FROM timelines WHERE owner = @o AND photo < (SELECT photo FROM timelines WHERE owner = @o ORDER BY photo DESC LIMIT 1 OFFSET @k)",
            ("@o", owner.Value), ("@k", capacity - 1));
}
