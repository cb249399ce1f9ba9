using System.Globalization;
using System.Runtime.InteropServices;
using ImageSocial.ProviderServices;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <remarks>Embeddings live in each server's <c>imagesocial.embeddings</c>, tagged with their photo's shard (and moved with it). Every
/// change to a photo's row in the server's photo index, and every stored embedding, appends the photo to the server's
/// <c>photo_changes</c> through triggers, in the writing transaction. A sequence number is taken when the row is inserted, not when its
/// transaction commits, so "everything below my position" would miss a row a slower transaction commits later. The feed therefore
/// orders changes by their transaction id, then sequence, and only hands out changes of transactions older than the oldest one still
/// running (<c>pg_snapshot_xmin</c>): no transaction below that bound can still commit, so nothing can land behind a position.
/// The transaction id travels as text (Npgsql has no xid8 mapping) under its own name: <c>ORDER BY xid</c> would sort by a select-list
/// column named <c>xid</c> before the table's, and as text "1000" sorts before "948" (the feed skipped changes that way).</remarks>
public sealed partial class PostgresMetadataStore : IEmbeddingStore, IPhotoChangeFeed
{
    /// <inheritdoc />
    public async Task<int> SaveEmbeddingsAsync(string space, IReadOnlyList<PhotoEmbedding> embeddings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        ArgumentNullException.ThrowIfNull(embeddings);
        var saved = 0;
        foreach (var shard in embeddings.Where(e => cluster.IsShard(e.Photo.LogicalShard)).GroupBy(e => e.Photo.LogicalShard))
        {
            var rows = shard.DistinctBy(e => e.Photo).ToList();
            saved += await cluster.WriteAsync("SaveEmbeddings", shard.Key, (c, t, s) => Sql.ExecuteAsync(c, t, Sql.For("""
                INSERT INTO imagesocial.embeddings(photo_id, space, vector, shard)
                SELECT e.id, $2, e.v, $3 FROM unnest($1::bigint[], $4::bytea[]) AS e(id, v) WHERE EXISTS (SELECT 1 FROM {s}.photos p WHERE p.id = e.id)
                ON CONFLICT (photo_id, space) DO UPDATE SET vector = excluded.vector
                """, s), cancellationToken, rows.Select(e => e.Photo.Value).ToArray(), space, shard.Key, rows.Select(e => Bytes(e.Vector)).ToArray()), cancellationToken).ConfigureAwait(false);
        }

        return saved;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PhotoEmbedding>> GetEmbeddingsAsync(string space, IReadOnlyList<PhotoId> photos, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        ArgumentNullException.ThrowIfNull(photos);
        return photos.Count == 0 ? [] : (await cluster.FanOutAsync("GetEmbeddings", photos.Distinct().Select(p => p.Value), ShardOf, false, (c, shards) =>
            Sql.QueryAsync(c, null, ReadEmbedding, "SELECT photo_id, vector FROM imagesocial.embeddings WHERE space = $1 AND photo_id = ANY($2)",
                cancellationToken, space, shards.SelectMany(g => g).ToArray()), cancellationToken).ConfigureAwait(false)).DistinctBy(e => e.Photo).ToList();
    }

    /// <inheritdoc />
    public async Task<Page<PhotoEmbedding>> ListEmbeddingsAsync(string space, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(space);
        var after = IdCursor.Decode(page.Cursor) ?? 0;
        var limit = page.EffectiveLimit;
        var rows = await cluster.EveryServerAsync("ListEmbeddings", false, (_, c) => Sql.QueryAsync(c, null, ReadEmbedding,
            $"SELECT photo_id, vector FROM imagesocial.embeddings p WHERE space = $1 AND photo_id > $2 AND {ServedHere} ORDER BY photo_id LIMIT $3",
            cancellationToken, space, after, limit + 1), cancellationToken).ConfigureAwait(false);
        return ToPage(rows.DistinctBy(e => e.Photo).OrderBy(e => e.Photo.Value).Take(limit + 1).ToList(), limit, e => e.Photo.Value);
    }

    /// <inheritdoc />
    public async Task<PhotoChanges> ReadChangesAsync(string? after, int max, CancellationToken cancellationToken = default)
    {
        max = Math.Clamp(max, 1, 10_000);
        var positions = ChangePosition.Parse(after);
        var rows = await cluster.EveryServerAsync("ReadPhotoChanges", false, async (server, c) =>
        {
            var (xid, seq) = positions.GetValueOrDefault(server.Index, ("0", 0L));
            // One round trip: the pruning mark (kind 0, when there is one) first, then the changes (kind 1) in feed order.
            var rows = await Sql.QueryAsync(c, null, r => (Kind: r.GetInt32(0), Server: server.Index, Xid: r.GetString(1), Seq: r.GetInt64(2), Photo: r.GetInt64(3)), """
                SELECT 0 AS kind, p.xid::text AS xid_text, p.seq, 0::bigint AS photo_id, p.xid AS x FROM imagesocial.photo_changes_pruned p WHERE p.id = 1
                UNION ALL
                (SELECT 1, c.xid::text, c.seq, c.photo_id, c.xid FROM imagesocial.photo_changes c
                 WHERE c.xid < pg_snapshot_xmin(pg_current_snapshot()) AND (c.xid, c.seq) > ($1::xid8, $2)
                 ORDER BY c.xid, c.seq LIMIT $3)
                ORDER BY kind, x, seq
                """, cancellationToken, xid, seq, max).ConfigureAwait(false);
            if (rows is [{ Kind: 0 } mark, ..] && Before((xid, seq), (mark.Xid, mark.Seq)))
            {
                throw new ChangeFeedPositionExpiredException($"Changes of server {server.Name} up to {mark.Xid}.{mark.Seq} were pruned; this position is {xid}.{seq}.");
            }

            return rows.Where(r => r.Kind == 1).ToList();
        }, cancellationToken).ConfigureAwait(false);

        // Each server's changes stay in their order; a page takes at most max in all, whole prefixes per server.
        var taken = rows.GroupBy(r => r.Server).SelectMany(g => g.Take(Math.Max(1, max / Math.Max(1, cluster.Servers.Count)))).ToList();
        foreach (var last in taken.GroupBy(r => r.Server).Select(g => g.Last()))
        {
            positions[last.Server] = (last.Xid, last.Seq);
        }

        return new PhotoChanges(taken.Select(r => new PhotoId(r.Photo)).ToList(), ChangePosition.Format(positions));
    }

    /// <inheritdoc />
    public async Task<int> PruneChangesAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        // The newest change old enough (and of a finished transaction) marks the cut; everything up to it goes, so what stays is exactly
        // what a reader at or after the mark still needs. `at` is its transaction's start, so it is not monotone in feed order: rows
        // younger than the cut's but below it go too, and readers below the mark are told to reload.
        var deleted = await cluster.EveryServerAsync("PrunePhotoChanges", false, async (_, c) => (await Sql.QueryAsync(c, null, r => r.GetInt64(0), """
            WITH last AS (
                SELECT c.xid, c.seq FROM imagesocial.photo_changes c
                WHERE c.at < $1 AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY c.xid DESC, c.seq DESC LIMIT 1),
            gone AS (
                DELETE FROM imagesocial.photo_changes c USING last WHERE (c.xid, c.seq) <= (last.xid, last.seq) RETURNING 1),
            marked AS (
                INSERT INTO imagesocial.photo_changes_pruned AS p(id, xid, seq) SELECT 1, last.xid, last.seq FROM last
                ON CONFLICT (id) DO UPDATE SET xid = excluded.xid, seq = excluded.seq WHERE (p.xid, p.seq) < (excluded.xid, excluded.seq)
                RETURNING 1)
            SELECT count(*) FROM gone
            """, cancellationToken, before).ConfigureAwait(false)).ToList(), cancellationToken).ConfigureAwait(false);
        return (int)deleted.Sum();
    }

    /// <summary>Whether feed position <paramref name="a"/> comes before <paramref name="b"/> (transaction ids compared as numbers).</summary>
    private static bool Before((string Xid, long Seq) a, (string Xid, long Seq) b)
    {
        var (x, y) = (ulong.Parse(a.Xid, CultureInfo.InvariantCulture), ulong.Parse(b.Xid, CultureInfo.InvariantCulture));
        return x < y || (x == y && a.Seq < b.Seq);
    }

    /// <inheritdoc />
    public async Task<string> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        var heads = await cluster.EveryServerAsync("PhotoChangesHead", false, async (server, c) =>
            (await Sql.QueryAsync(c, null, r => (Server: server.Index, Xid: r.GetString(0), Seq: r.GetInt64(1)),
                """
                SELECT h.xid::text AS xid_text, h.seq FROM (
                    (SELECT c.xid, c.seq FROM imagesocial.photo_changes c
                     WHERE c.xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY c.xid DESC, c.seq DESC LIMIT 1)
                    UNION ALL
                    SELECT p.xid, p.seq FROM imagesocial.photo_changes_pruned p WHERE p.id = 1) h
                ORDER BY h.xid DESC, h.seq DESC LIMIT 1
                """,
                cancellationToken).ConfigureAwait(false)).ToList(), cancellationToken).ConfigureAwait(false);
        return ChangePosition.Format(heads.ToDictionary(h => h.Server, h => (h.Xid, h.Seq)));
    }

    private static byte[] Bytes(ReadOnlyMemory<float> vector) => MemoryMarshal.AsBytes(vector.Span).ToArray();

    private static PhotoEmbedding ReadEmbedding(NpgsqlDataReader r) =>
        new(new PhotoId(r.GetInt64(0)), MemoryMarshal.Cast<byte, float>(((byte[])r.GetValue(1)).AsSpan()).ToArray());

    /// <summary>A feed position: each server's last (transaction id, sequence), as <c>pg:0=1234.56,1=987.12</c>.</summary>
    private static class ChangePosition
    {
        internal static Dictionary<int, (string Xid, long Seq)> Parse(string? position)
        {
            var result = new Dictionary<int, (string, long)>();
            if (string.IsNullOrEmpty(position))
            {
                return result;
            }

            if (!position.StartsWith("pg:", StringComparison.Ordinal))
            {
                throw new ValidationException("Not a position of this store's change feed.") { ParameterName = "after" };
            }

            foreach (var part in position[3..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var (server, rest) = (part[..part.IndexOf('=', StringComparison.Ordinal)], part[(part.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                var dot = rest.IndexOf('.', StringComparison.Ordinal);
                result[int.Parse(server, CultureInfo.InvariantCulture)] = (ulong.Parse(rest[..dot], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                    long.Parse(rest[(dot + 1)..], CultureInfo.InvariantCulture));
            }

            return result;
        }

        internal static string Format(Dictionary<int, (string Xid, long Seq)> positions) =>
            "pg:" + string.Join(',', positions.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value.Xid}.{p.Value.Seq}")));
    }
}
