using ImageSocial.Shared.Sql;
using ImageSocial.ProviderServices;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <remarks>Likes and comments live on the photo's shard (its owner's), so the count changes in the same transaction.</remarks>
public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public Task<bool> LikeAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default) =>
        cluster.WriteAsync("Like", RequireShard(photo), async (c, t, s) =>
        {
            await EnsureLivePhotoAsync(c, t, s, photo, cancellationToken).ConfigureAwait(false);
            return await CountedAsync(c, t, s, photo, await Sql.ExecuteAsync(c, t, Sql.For("""
                WITH added AS (INSERT INTO {s}.likes(photo_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING photo_id)
                UPDATE {s}.photos SET like_count = like_count + 1 WHERE id IN (SELECT photo_id FROM added)
                """, s), cancellationToken, photo.Value, user.Value).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UnlikeAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(photo.LogicalShard) ? Task.FromResult(false) : cluster.WriteAsync("Unlike", photo.LogicalShard, async (c, t, s) =>
            await CountedAsync(c, t, s, photo, await Sql.ExecuteAsync(c, t, Sql.For("""
                WITH removed AS (DELETE FROM {s}.likes WHERE photo_id = $1 AND user_id = $2 RETURNING photo_id)
                UPDATE {s}.photos SET like_count = like_count - 1 WHERE id IN (SELECT photo_id FROM removed)
                """, s), cancellationToken, photo.Value, user.Value).ConfigureAwait(false), cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public Task<bool> HasLikedAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(photo.LogicalShard) ? Task.FromResult(false) : cluster.ReadAsync("HasLiked", photo.LogicalShard, true, async (c, s) =>
            await Sql.ScalarAsync(c, null, Sql.For("SELECT 1 FROM {s}.likes WHERE photo_id = $1 AND user_id = $2", s), cancellationToken, photo.Value, user.Value).ConfigureAwait(false) is not null,
            cancellationToken);

    /// <inheritdoc />
    public Task AddCommentAsync(Comment comment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(comment);
        return cluster.WriteAsync("AddComment", RequireShard(comment.PhotoId), async (c, t, s) =>
        {
            await EnsureLivePhotoAsync(c, t, s, comment.PhotoId, cancellationToken).ConfigureAwait(false);
            return await CountedAsync(c, t, s, comment.PhotoId, await Sql.ExecuteAsync(c, t, Sql.For("""
                WITH added AS (INSERT INTO {s}.comments(id, photo_id, author_id, text) VALUES ($1, $2, $3, $4) RETURNING photo_id)
                UPDATE {s}.photos SET comment_count = comment_count + 1 WHERE id IN (SELECT photo_id FROM added)
                """, s), cancellationToken, comment.Id.Value, comment.PhotoId.Value, comment.AuthorId.Value, comment.Text).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Comment>> GetCommentsAsync(PhotoId photo, PageRequest page, CancellationToken cancellationToken = default)
    {
        var after = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return !cluster.IsShard(photo.LogicalShard) ? Task.FromResult(Page<Comment>.Empty) : cluster.ReadAsync("GetComments", photo.LogicalShard, true, async (c, s) =>
            ToPage(await Sql.QueryAsync(c, null, ReadComment, Sql.For(
                $"SELECT {CommentColumns} FROM {{s}}.comments WHERE photo_id = $1 AND ($2::bigint IS NULL OR id > $2) ORDER BY id LIMIT $3", s),
                cancellationToken, photo.Value, after, limit + 1).ConfigureAwait(false), limit, x => x.Id.Value), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Comment?> GetCommentAsync(CommentId id, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(id.LogicalShard) ? Task.FromResult<Comment?>(null) : cluster.ReadAsync("GetComment", id.LogicalShard, false, async (c, s) =>
            (await Sql.QueryAsync(c, null, ReadComment, Sql.For($"SELECT {CommentColumns} FROM {{s}}.comments WHERE id = $1", s), cancellationToken, id.Value)
                .ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetCommentHiddenAsync(CommentId id, string? reason, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(id.LogicalShard) ? Task.FromResult(false) : cluster.WriteAsync("SetCommentHidden", id.LogicalShard, async (c, t, s) =>
            await Sql.ExecuteAsync(c, t, Sql.For("UPDATE {s}.comments SET hidden_reason = $2::text WHERE id = $1", s), cancellationToken, id.Value, reason)
                .ConfigureAwait(false) > 0, cancellationToken);

    private const string CommentColumns = "id, photo_id, author_id, text, hidden_reason";

    private static Comment ReadComment(NpgsqlDataReader r) =>
        new(new CommentId(r.GetInt64(0)), new PhotoId(r.GetInt64(1)), new UserId(r.GetInt64(2)), r.GetString(3)) { HiddenReason = r.IsDBNull(4) ? null : r.GetString(4) };

    /// <summary>Carries a changed count into the server's photo index; returns whether anything changed.</summary>
    private static async Task<bool> CountedAsync(NpgsqlConnection c, NpgsqlTransaction t, string s, PhotoId photo, int changed, CancellationToken ct)
    {
        if (changed > 0)
        {
            await SyncIndexAsync(c, t, s, photo, ct).ConfigureAwait(false);
        }

        return changed > 0;
    }

    private int RequireShard(PhotoId photo) =>
        cluster.IsShard(photo.LogicalShard) ? photo.LogicalShard : throw StoreErrors.PhotoNotFound(photo);

    private static async Task EnsureLivePhotoAsync(NpgsqlConnection c, NpgsqlTransaction t, string s, PhotoId photo, CancellationToken ct)
    {
        // FOR SHARE holds off a concurrent delete or purge until this transaction ends.
        if (await Sql.ScalarAsync(c, t, Sql.For("SELECT 1 FROM {s}.photos WHERE id = $1 AND deleted_at IS NULL FOR SHARE", s), ct, photo.Value).ConfigureAwait(false) is null)
        {
            throw StoreErrors.PhotoNotFound(photo);
        }
    }
}
