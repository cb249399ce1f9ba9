using System.Globalization;
using System.Runtime.InteropServices;
using ImageSocial.ProviderServices;
using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

/// <remarks>Embeddings are rows of <c>embeddings</c>, removed with their photo (foreign key). Triggers append a photo to
/// <c>photo_changes</c> in the writing transaction whenever its indexable state or its embedding changes. One writer commits at a time,
/// so sequence order is commit order and a reader can follow the sequence.</remarks>
public sealed partial class SqliteMetadataStore : IEmbeddingStore, IPhotoChangeFeed
{
    /// <inheritdoc />
    public Task<int> SaveEmbeddingsAsync(string space, IReadOnlyList<PhotoEmbedding> embeddings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        ArgumentNullException.ThrowIfNull(embeddings);
        return embeddings.Count == 0 ? Task.FromResult(0) : WriteAsync("SaveEmbeddings", (c, t) => embeddings.DistinctBy(e => e.Photo).Sum(e => Execute(c, t, """
            INSERT INTO embeddings(photo_id, space, vector) SELECT @id, @space, @v WHERE EXISTS (SELECT 1 FROM photos WHERE id = @id)
            ON CONFLICT(photo_id, space) DO UPDATE SET vector = excluded.vector
            """, ("@id", e.Photo.Value), ("@space", space), ("@v", MemoryMarshal.AsBytes(e.Vector.Span).ToArray()))), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PhotoEmbedding>> GetEmbeddingsAsync(string space, IReadOnlyList<PhotoId> photos, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        ArgumentNullException.ThrowIfNull(photos);
        return photos.Count == 0 ? Task.FromResult<IReadOnlyList<PhotoEmbedding>>([]) : ReadAsync<IReadOnlyList<PhotoEmbedding>>("GetEmbeddings", c => Query(c, null, ReadEmbedding,
            "SELECT photo_id, vector FROM embeddings WHERE space = @space AND photo_id IN (SELECT value FROM json_each(@ids))",
            ("@space", space), ("@ids", JsonIds(photos.Select(p => p.Value)))), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<PhotoEmbedding>> ListEmbeddingsAsync(string space, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        var after = IdCursor.Decode(page.Cursor) ?? 0;
        var limit = page.EffectiveLimit;
        return ReadAsync("ListEmbeddings", c => ToPage(Query(c, null, ReadEmbedding,
            "SELECT photo_id, vector FROM embeddings WHERE space = @space AND photo_id > @after ORDER BY photo_id LIMIT @n",
            ("@space", space), ("@after", after), ("@n", limit + 1)), limit, e => e.Photo.Value), cancellationToken);
    }

    /// <inheritdoc />
    public Task<PhotoChanges> ReadChangesAsync(string? after, int max, CancellationToken cancellationToken = default)
    {
        var from = 0L;
        if (!string.IsNullOrEmpty(after) && !(after.StartsWith("sqlite:", StringComparison.Ordinal)
            && long.TryParse(after.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out from)))
        {
            throw new ValidationException("Not a position of this store's change feed.") { ParameterName = nameof(after) };
        }

        max = Math.Clamp(max, 1, 10_000);
        return ReadAsync("ReadPhotoChanges", c =>
        {
            if (Scalar(c, null, "SELECT seq FROM photo_changes_pruned WHERE id = 1") is long pruned && from < pruned)
            {
                throw new ChangeFeedPositionExpiredException($"Changes up to {pruned} were pruned; this position is {from}.");
            }

            var rows = Query(c, null, r => (Seq: r.GetInt64(0), Photo: r.GetInt64(1)), "SELECT seq, photo_id FROM photo_changes WHERE seq > @after ORDER BY seq LIMIT @n",
                ("@after", from), ("@n", max));
            var position = rows.Count > 0 ? rows[^1].Seq : from;
            return new PhotoChanges(rows.Select(r => new PhotoId(r.Photo)).ToList(), "sqlite:" + position.ToString(CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PruneChangesAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        WriteAsync("PrunePhotoChanges", (c, t) =>
        {
            if (Scalar(c, t, "SELECT max(seq) FROM photo_changes WHERE at < @before", ("@before", before.ToUnixTimeSeconds())) is not long last)
            {
                return 0;
            }

            var deleted = Execute(c, t, "DELETE FROM photo_changes WHERE seq <= @last", ("@last", last));
            Execute(c, t, "INSERT INTO photo_changes_pruned(id, seq) VALUES (1, @last) ON CONFLICT(id) DO UPDATE SET seq = max(seq, excluded.seq)",
                ("@last", last));
            return deleted;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<string> GetHeadAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("PhotoChangesHead", c => "sqlite:" + (Scalar(c, null,
            "SELECT max(coalesce((SELECT max(seq) FROM photo_changes), 0), coalesce((SELECT seq FROM photo_changes_pruned WHERE id = 1), 0))") is long seq ? seq : 0)
            .ToString(CultureInfo.InvariantCulture),
            cancellationToken);

    private static PhotoEmbedding ReadEmbedding(SqliteDataReader r) =>
        new(new PhotoId(r.GetInt64(0)), MemoryMarshal.Cast<byte, float>(((byte[])r.GetValue(1)).AsSpan()).ToArray());
}
