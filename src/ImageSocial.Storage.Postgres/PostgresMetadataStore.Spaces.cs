using ImageSocial.Shared.Sql;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <remarks>The embedding spaces live on the catalog server, beside the shard map: one record for the whole deployment.</remarks>
public sealed partial class PostgresMetadataStore
{
    private const string SpaceColumns = "id, dimension, registered_at, seq = (SELECT max(seq) FROM imagesocial.embedding_spaces), backfilled, backfill_completed_at";

    /// <inheritdoc />
    public async Task<EmbeddingSpaceState> RegisterSpaceAsync(string id, int dimension, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        await OnCatalogAsync("RegisterSpace", c => Sql.ExecuteAsync(c, null,
            "INSERT INTO imagesocial.embedding_spaces(id, dimension, registered_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            cancellationToken, id, dimension, now), cancellationToken).ConfigureAwait(false);
        var space = (await ListSpacesAsync(cancellationToken).ConfigureAwait(false)).First(s => s.Id == id);
        return space.Dimension == dimension
            ? space
            : throw StoreErrors.SpaceDimension(PostgresCluster.Provider, id, space.Dimension, dimension);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EmbeddingSpaceState>> ListSpacesAsync(CancellationToken cancellationToken = default) =>
        await OnCatalogAsync("ListSpaces", c => Sql.QueryAsync(c, null, ReadSpace, $"SELECT {SpaceColumns} FROM imagesocial.embedding_spaces ORDER BY seq DESC", cancellationToken),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task RecordBackfillAsync(string id, long embedded, DateTimeOffset? completedAt, CancellationToken cancellationToken = default)
    {
        if (await OnCatalogAsync("RecordBackfill", c => Sql.ExecuteAsync(c, null, """
            UPDATE imagesocial.embedding_spaces SET backfilled = backfilled + $2, backfill_completed_at = coalesce(backfill_completed_at, $3) WHERE id = $1
            """, cancellationToken, id, embedded, completedAt), cancellationToken).ConfigureAwait(false) == 0)
        {
            throw StoreErrors.SpaceNotFound(id);
        }
    }

    private Task<T> OnCatalogAsync<T>(string operation, Func<NpgsqlConnection, Task<T>> body, CancellationToken cancellationToken) =>
        cluster.RetryAsync(operation, () => cluster.Catalog.RunAsync(false, body, cancellationToken), cancellationToken);

    private static EmbeddingSpaceState ReadSpace(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetInt32(1), r.GetFieldValue<DateTimeOffset>(2), r.GetBoolean(3), r.GetInt64(4), Sql.Time(r, 5));
}
