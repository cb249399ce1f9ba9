using ImageSocial.ProviderServices;
using ImageSocial.Shared.Sql;
using ImageSocial.Shared.Video;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <summary>The visibility rule for live photos over the server's photo index <c>p</c> and the viewer <c>$2</c>; the owner's privacy
    /// flag and follower edges live on the same server as the photo, so this is one statement.</summary>
    private static readonly string VisibleLive = VisibilityRule.LivePhotos("$2",
        $"EXISTS (SELECT 1 FROM imagesocial.follower_index f WHERE f.user_id = p.owner_id AND f.follower_id = $2 AND f.state = {VisibilityRule.Approved})");

    /// <summary>Up to how many owners a feed read takes each owner's newest page on its own.</summary>
    private const int PerOwnerUpTo = 16;

    /// <summary>Fails a keyed read (its shards in parameter <paramref name="shards"/>) with a retryable error when the server no longer
    /// serves one of them: a stale map must not read as "not found".</summary>
    private static string Serving(int shards) => $"(SELECT imagesocial.assert_serving(${shards}::int[]))";

    /// <summary>Leaves out a shard copy that is still arriving or already handed over, in reads that ask every server.</summary>
    private const string ServedHere = "p.shard NOT IN (SELECT shard FROM imagesocial.shards WHERE NOT serving)";

    /// <inheritdoc />
    public Task CreateAsync(Photo photo, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(work);
        if (photo.Id.LogicalShard != photo.OwnerId.LogicalShard || !cluster.IsShard(photo.Id.LogicalShard))
        {
            throw new ValidationException("A photo's id must be on its owner's logical shard.") { ParameterName = nameof(photo) };
        }

        var image = photo.Image;
        return cluster.WriteAsync("CreatePhoto", photo.Id.LogicalShard, async (c, t, s) =>
        {
            if (await Sql.ExecuteAsync(c, t, Sql.For("""
                INSERT INTO {s}.photos(id, owner_id, title, tags, visibility, format, width, height, orientation, frames,
                    captured_at, latitude, longitude, camera_make, camera_model, rendition_type, original_bytes, video, share_location)
                SELECT $1, u.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19 FROM {s}.users u WHERE u.id = $2
                """, s), cancellationToken,
                photo.Id.Value, photo.OwnerId.Value, photo.Title, photo.Tags.ToArray(), (short)photo.Visibility, image.Format, image.Width, image.Height,
                image.Orientation, image.FrameCount, image.CapturedAt, image.Latitude, image.Longitude, image.CameraMake, image.CameraModel,
                photo.RenditionContentType, photo.OriginalBytes, photo.Video is null ? null : VideoText.Write(photo.Video), photo.ShareLocation).ConfigureAwait(false) == 0)
            {
                throw StoreErrors.UserNotFound(photo.OwnerId);
            }

            await SyncIndexAsync(c, t, s, photo.Id, cancellationToken).ConfigureAwait(false);
            await EnqueueAsync(c, t, work, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Photo?> GetAsync(PhotoId id, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(id.LogicalShard) ? Task.FromResult<Photo?>(null) :
        cluster.ReadAsync("GetPhoto", id.LogicalShard, false, async (c, s) => (await Sql.QueryAsync(c, null, ReadPhoto,
            Sql.For($"SELECT {PhotoRows.Columns} FROM {{s}}.photos p WHERE p.id = $1", s), cancellationToken, id.Value).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Photo>> GetManyAsync(IReadOnlyList<PhotoId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var found = (await OnIndexAsync("GetPhotos", ids.Distinct().Select(i => i.Value), ShardOf, true,
            $"SELECT {PhotoRows.Columns} FROM imagesocial.photo_index p WHERE {Serving(2)} AND p.id = ANY($1)", (keys, shards) => [keys, shards], cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.Id);
        return ids.Distinct().Where(found.ContainsKey).Select(i => found[i]).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Photo>> GetVisibleAsync(IReadOnlyList<PhotoId> ids, UserId viewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var found = (await OnIndexAsync("GetVisiblePhotos", ids.Distinct().Select(i => i.Value), ShardOf, true,
            $"SELECT {PhotoRows.Columns} FROM imagesocial.photo_index p WHERE {Serving(3)} AND p.id = ANY($1) AND {VisibleLive}", (keys, shards) => [keys, viewer.Value, shards], cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.Id);
        return ids.Distinct().Where(found.ContainsKey).Select(i => found[i]).ToList();
    }

    /// <inheritdoc />
    public Task<Photo?> UpdateAsync(PhotoId id, PhotoUpdate update, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(work);
        return !cluster.IsShard(id.LogicalShard) ? Task.FromResult<Photo?>(null) : cluster.WriteAsync("UpdatePhoto", id.LogicalShard, async (c, t, s) =>
        {
            var photo = (await Sql.QueryAsync(c, t, ReadPhoto, Sql.For($$"""
                UPDATE {s}.photos p SET title = coalesce($2, title), tags = coalesce($3, tags), visibility = coalesce($4, visibility),
                    share_location = coalesce($5, share_location)
                WHERE p.id = $1 AND p.deleted_at IS NULL RETURNING {{PhotoRows.Columns}}
                """, s), cancellationToken, id.Value, update.Title, update.Tags?.ToArray(), (short?)update.Visibility, update.ShareLocation).ConfigureAwait(false)).FirstOrDefault();
            if (photo is null)
            {
                return null;
            }

            await SyncIndexAsync(c, t, s, id, cancellationToken).ConfigureAwait(false);
            await EnqueueAsync(c, t, work, cancellationToken).ConfigureAwait(false);
            return photo;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SoftDeleteAsync(PhotoId id, DateTimeOffset deletedAt, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default) =>
        SetDeletedAsync("DeletePhoto", id, deletedAt, "p.deleted_at IS NULL", work, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RestoreAsync(PhotoId id, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default) =>
        SetDeletedAsync("RestorePhoto", id, null, "p.deleted_at IS NOT NULL", work, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Photo>> PurgeDeletedAsync(DateTimeOffset deletedBefore, int max, CancellationToken cancellationToken = default)
    {
        max = Math.Max(1, max);
        var due = (await cluster.EveryServerAsync("PurgePhotos", false, (_, c) => Sql.QueryAsync(c, null, r => (Id: r.GetInt64(0), At: r.GetFieldValue<DateTimeOffset>(1)),
            "SELECT id, deleted_at FROM imagesocial.photo_index WHERE deleted_at < $1 ORDER BY deleted_at LIMIT $2", cancellationToken, deletedBefore, max), cancellationToken).ConfigureAwait(false))
            .OrderBy(x => x.At).Take(max).Select(x => x.Id).ToList();
        var purged = new List<Photo>();
        foreach (var shard in due.GroupBy(ShardOf))
        {
            purged.AddRange(await cluster.WriteAsync("PurgePhotos", shard.Key, async (c, t, s) =>
            {
                var gone = await Sql.QueryAsync(c, t, ReadPhoto, Sql.For($"DELETE FROM {{s}}.photos p WHERE p.id = ANY($1) AND p.deleted_at < $2 RETURNING {PhotoRows.Columns}", s),
                    cancellationToken, shard.ToArray(), deletedBefore).ConfigureAwait(false);
                var ids = gone.Select(p => p.Id.Value).ToArray();
                await Sql.ExecuteAsync(c, t, "DELETE FROM imagesocial.photo_index WHERE id = ANY($1)", cancellationToken, ids).ConfigureAwait(false);
                await Sql.ExecuteAsync(c, t, "DELETE FROM imagesocial.embeddings WHERE photo_id = ANY($1)", cancellationToken, ids).ConfigureAwait(false);
                await EnqueueAsync(c, t, gone.Select(p => OutboxMessage.Create(OutboxKinds.PhotoPurged, p.Id.Value, p.OwnerId.ToString())).ToList(), cancellationToken).ConfigureAwait(false);
                return gone;
            }, cancellationToken).ConfigureAwait(false));
        }

        return purged;
    }

    /// <inheritdoc />
    public Task<Page<Photo>> ListTrashAsync(UserId owner, PageRequest page, CancellationToken cancellationToken = default) =>
        OwnerPage("ListTrash", owner, "p.owner_id = $1 AND p.deleted_at IS NOT NULL", owner, page, false, cancellationToken);

    /// <inheritdoc />
    public Task<Page<Photo>> ListByOwnerAsync(UserId owner, UserId viewer, PageRequest page, CancellationToken cancellationToken = default) =>
        OwnerPage("ListByOwner", owner, $"p.owner_id = $1 AND {VisibleLive}", viewer, page, true, cancellationToken);

    /// <inheritdoc />
    public async Task<Page<Photo>> ListAllLiveAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        var rows = await cluster.EveryServerAsync("ListAllLive", false, (_, c) => Sql.QueryAsync(c, null, ReadPhoto,
            $"SELECT {PhotoRows.Columns} FROM imagesocial.photo_index p WHERE {ServedHere} AND p.deleted_at IS NULL AND ($1::bigint IS NULL OR p.id < $1) ORDER BY p.id DESC LIMIT $2",
            cancellationToken, before, limit + 1), cancellationToken).ConfigureAwait(false);
        return ToPage(Newest(rows, limit + 1), limit, p => p.Id.Value);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Photo>> ListNewestByOwnersAsync(IReadOnlyCollection<UserId> owners, UserId viewer, PhotoId? before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owners);
        if (owners.Count == 0 || limit <= 0)
        {
            return [];
        }

        // The cursor is always a bound (the largest id for the first page): "$3 IS NULL OR ..." would keep it out of the index range.
        // A few owners (the large authors a hybrid feed pulls): each one's newest page through the owner index, however many photos
        // they have; more: one statement the planner shapes over all of them.
        var sql = owners.Count <= PerOwnerUpTo
            ? $"""
              SELECT {PhotoRows.Columns} FROM unnest($1::bigint[]) o(id) CROSS JOIN LATERAL (
                  SELECT * FROM imagesocial.photo_index p WHERE p.owner_id = o.id AND p.id < $3 AND {VisibleLive} ORDER BY p.id DESC LIMIT $4) p
              WHERE {Serving(5)} ORDER BY p.id DESC LIMIT $4
              """
            : $"""
              SELECT {PhotoRows.Columns} FROM imagesocial.photo_index p
              WHERE {Serving(5)} AND p.owner_id = ANY($1) AND {VisibleLive} AND p.id < $3 ORDER BY p.id DESC LIMIT $4
              """;
        var rows = await OnIndexAsync("ListNewestByOwners", owners.Distinct().Select(o => o.Value), ShardOf, true, sql,
            (keys, shards) => [keys, viewer.Value, before?.Value ?? long.MaxValue, limit, shards], cancellationToken).ConfigureAwait(false);
        return Newest(rows, limit);
    }

    /// <inheritdoc />
    /// <remarks>One statement per server on its photo index (title tsvector and tags, both GIN-indexed), merged newest first.</remarks>
    public async Task<Page<Photo>> SearchAsync(PhotoSearch query, UserId viewer, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var match = TextQuery.Build(query.Text);
        var tag = string.IsNullOrEmpty(query.Tag) ? null : query.Tag;
        if (match is null && tag is null)
        {
            throw new ValidationException("A search needs at least one word or a tag.") { ParameterName = "query" };
        }

        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        // Only the conditions asked for, so that each shape has its own statement (the unused parameters are still typed, so every
        // shape takes the same arguments). Planned for each query: how many photos a word matches decides between walking the id
        // index newest first and collecting the GIN matches, and one generic plan would be wrong for half the words.
        var where = string.Join(" AND ", new[] { match is null ? null : "p.title_words @@ to_tsquery('simple', $3)", tag is null ? null : "p.tags @> ARRAY[$4::text]" }.OfType<string>());
        var rows = await cluster.EveryServerAsync("SearchPhotos", true, (_, c) => Sql.BatchQueryAsync(c,
        [
            Sql.BatchCommand("SET plan_cache_mode = force_custom_plan"),
            Sql.BatchCommand($"""
                SELECT {PhotoRows.Columns} FROM imagesocial.photo_index p
                WHERE {where} AND {ServedHere} AND {VisibleLive} AND ($1::bigint IS NULL OR p.id < $1) AND $3::text IS NOT DISTINCT FROM $3 AND $4::text IS NOT DISTINCT FROM $4
                ORDER BY p.id DESC LIMIT $5
                """, before, viewer.Value, match, tag, limit + 1),
            Sql.BatchCommand("RESET plan_cache_mode"),
        ], ReadPhoto, cancellationToken), cancellationToken).ConfigureAwait(false);
        return ToPage(Newest(rows, limit + 1), limit, p => p.Id.Value);
    }

    /// <summary>Runs one statement on each server's photo index for the keys whose shards it holds, servers in parallel.</summary>
    private Task<List<Photo>> OnIndexAsync(string operation, IEnumerable<long> keys, Func<long, int> shardOf, bool replicaAllowed, string sql,
        Func<long[], int[], object?[]> args, CancellationToken cancellationToken) =>
        cluster.FanOutAsync(operation, keys, shardOf, replicaAllowed, (c, shards) =>
            Sql.QueryAsync(c, null, ReadPhoto, sql, cancellationToken, args(shards.SelectMany(g => g).ToArray(), shards.Select(g => g.Key).ToArray())), cancellationToken);

    /// <summary>Merges per-server rows newest first; a shard caught mid-move may answer from two servers, so ids are deduplicated.</summary>
    private static List<Photo> Newest(List<Photo> rows, int limit) =>
        rows.DistinctBy(p => p.Id).OrderByDescending(p => p.Id.Value).Take(limit).ToList();

    private static Task SyncIndexAsync(NpgsqlConnection c, NpgsqlTransaction t, string schema, PhotoId id, CancellationToken ct) =>
        Sql.ExecuteAsync(c, t, Sql.For(PgSchema.SyncIndex, schema), ct, id.Value, id.LogicalShard);

    /// <inheritdoc />
    public Task<bool> SetHiddenAsync(PhotoId id, string? reason, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(id.LogicalShard) ? Task.FromResult(false) : cluster.WriteAsync("SetPhotoHidden", id.LogicalShard, async (c, t, s) =>
        {
            if (await Sql.ExecuteAsync(c, t, Sql.For("UPDATE {s}.photos SET hidden_reason = $2::text WHERE id = $1", s), cancellationToken, id.Value, reason)
                .ConfigureAwait(false) == 0)
            {
                return false;
            }

            await SyncIndexAsync(c, t, s, id, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateVideoAsync(PhotoId id, VideoInfo video, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(video);
        return !cluster.IsShard(id.LogicalShard) ? Task.FromResult(false) : cluster.WriteAsync("UpdateVideo", id.LogicalShard, async (c, t, s) =>
        {
            if (await Sql.ExecuteAsync(c, t, Sql.For("UPDATE {s}.photos p SET video = $2 WHERE p.id = $1 AND p.video IS NOT NULL", s), cancellationToken,
                id.Value, VideoText.Write(video)).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await SyncIndexAsync(c, t, s, id, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private Task<bool> SetDeletedAsync(string operation, PhotoId id, DateTimeOffset? deletedAt, string when, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return !cluster.IsShard(id.LogicalShard) ? Task.FromResult(false) : cluster.WriteAsync(operation, id.LogicalShard, async (c, t, s) =>
        {
            if (await Sql.ExecuteAsync(c, t, Sql.For($"UPDATE {{s}}.photos p SET deleted_at = $2 WHERE p.id = $1 AND {when}", s), cancellationToken, id.Value, deletedAt).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await SyncIndexAsync(c, t, s, id, cancellationToken).ConfigureAwait(false);
            await EnqueueAsync(c, t, work, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private Task<Page<Photo>> OwnerPage(string operation, UserId owner, string where, UserId viewer, PageRequest page, bool replicaAllowed, CancellationToken cancellationToken)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return !cluster.IsShard(owner.LogicalShard) ? Task.FromResult(Page<Photo>.Empty) :
            cluster.ReadAsync(operation, owner.LogicalShard, replicaAllowed, async (c, _) => ToPage(await Sql.QueryAsync(c, null, ReadPhoto, $"""
                SELECT {PhotoRows.Columns} FROM imagesocial.photo_index p
                WHERE {Serving(5)} AND {where} AND ($3::bigint IS NULL OR p.id < $3) ORDER BY p.id DESC LIMIT $4
                """, cancellationToken, owner.Value, viewer.Value, before, limit + 1, new[] { owner.LogicalShard }).ConfigureAwait(false), limit, p => p.Id.Value), cancellationToken);
    }

    private static Photo ReadPhoto(NpgsqlDataReader r) => PhotoRows.Read<PostgresRows>(r);
}
