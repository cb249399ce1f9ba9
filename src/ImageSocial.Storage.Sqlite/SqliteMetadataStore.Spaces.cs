using ImageSocial.Shared.Sql;

namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public Task<EmbeddingSpaceState> RegisterSpaceAsync(string id, int dimension, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        return WriteAsync("RegisterSpace", (c, t) =>
        {
            Execute(c, t, "INSERT INTO embedding_spaces(id, dimension, registered_at) VALUES (@id, @d, @at) ON CONFLICT(id) DO NOTHING",
                ("@id", id), ("@d", dimension), ("@at", now.ToUnixTimeMilliseconds()));
            var space = Spaces(c, t).First(s => s.Id == id);
            return space.Dimension == dimension
                ? space
                : throw StoreErrors.SpaceDimension(Provider, id, space.Dimension, dimension);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EmbeddingSpaceState>> ListSpacesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<EmbeddingSpaceState>>("ListSpaces", c => Spaces(c, null), cancellationToken);

    /// <inheritdoc />
    public Task RecordBackfillAsync(string id, long embedded, DateTimeOffset? completedAt, CancellationToken cancellationToken = default) =>
        WriteAsync("RecordBackfill", (c, t) => Execute(c, t,
            "UPDATE embedding_spaces SET backfilled = backfilled + @n, backfill_completed_at = coalesce(backfill_completed_at, @at) WHERE id = @id",
            ("@id", id), ("@n", embedded), ("@at", completedAt?.ToUnixTimeMilliseconds())) > 0
            ? true
            : throw StoreErrors.SpaceNotFound(id), cancellationToken);

    private static List<EmbeddingSpaceState> Spaces(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction? t) => Query(c, t,
        r => new EmbeddingSpaceState(r.GetString(0), r.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), r.GetBoolean(3), r.GetInt64(4),
            r.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))),
        "SELECT id, dimension, registered_at, seq = (SELECT max(seq) FROM embedding_spaces), backfilled, backfill_completed_at FROM embedding_spaces ORDER BY seq DESC");
}
