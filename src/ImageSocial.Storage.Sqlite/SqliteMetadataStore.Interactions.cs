using ImageSocial.ProviderServices;
using ImageSocial.Shared.Sql;
using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public Task<bool> LikeAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default) =>
        WriteAsync("Like", (c, t) =>
        {
            EnsureLivePhoto(c, t, photo);
            if (Execute(c, t, "INSERT INTO likes(photo_id, user_id) VALUES (@p, @u) ON CONFLICT DO NOTHING", ("@p", photo.Value), ("@u", user.Value)) == 0)
            {
                return false;
            }

            Execute(c, t, "UPDATE photos SET like_count = like_count + 1 WHERE id = @p", ("@p", photo.Value));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UnlikeAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default) =>
        WriteAsync("Unlike", (c, t) =>
        {
            if (Execute(c, t, "DELETE FROM likes WHERE photo_id = @p AND user_id = @u", ("@p", photo.Value), ("@u", user.Value)) == 0)
            {
                return false;
            }

            Execute(c, t, "UPDATE photos SET like_count = like_count - 1 WHERE id = @p", ("@p", photo.Value));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> HasLikedAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default) =>
        ReadAsync("HasLiked", c => Scalar(c, null, "SELECT 1 FROM likes WHERE photo_id = @p AND user_id = @u", ("@p", photo.Value), ("@u", user.Value)) is not null, cancellationToken);

    /// <inheritdoc />
    public Task AddCommentAsync(Comment comment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(comment);
        return WriteAsync("AddComment", (c, t) =>
        {
            EnsureLivePhoto(c, t, comment.PhotoId);
            Execute(c, t, "INSERT INTO comments(id, photo_id, author_id, text) VALUES (@id, @p, @a, @text)",
                ("@id", comment.Id.Value), ("@p", comment.PhotoId.Value), ("@a", comment.AuthorId.Value), ("@text", comment.Text));
            Execute(c, t, "UPDATE photos SET comment_count = comment_count + 1 WHERE id = @p", ("@p", comment.PhotoId.Value));
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Comment>> GetCommentsAsync(PhotoId photo, PageRequest page, CancellationToken cancellationToken = default)
    {
        var after = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return ReadAsync("GetComments", c => ToPage(Query(c, null,
            ReadComment, $"SELECT {CommentColumns} FROM comments WHERE photo_id = @p AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @n",
            ("@p", photo.Value), ("@after", after), ("@n", limit + 1)), limit, x => x.Id.Value), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Comment?> GetCommentAsync(CommentId id, CancellationToken cancellationToken = default) =>
        ReadAsync("GetComment", c => Query(c, null, ReadComment, $"SELECT {CommentColumns} FROM comments WHERE id = @id", ("@id", id.Value)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetCommentHiddenAsync(CommentId id, string? reason, CancellationToken cancellationToken = default) =>
        WriteAsync("SetCommentHidden", (c, t) => Execute(c, t, "UPDATE comments SET hidden_reason = @reason WHERE id = @id", ("@id", id.Value), ("@reason", reason)) > 0,
            cancellationToken);

    private const string CommentColumns = "id, photo_id, author_id, text, hidden_reason";

    private static Comment ReadComment(SqliteDataReader r) =>
        new(new CommentId(r.GetInt64(0)), new PhotoId(r.GetInt64(1)), new UserId(r.GetInt64(2)), r.GetString(3)) { HiddenReason = r.IsDBNull(4) ? null : r.GetString(4) };

    private static void EnsureLivePhoto(SqliteConnection c, SqliteTransaction t, PhotoId photo)
    {
        if (Scalar(c, t, "SELECT 1 FROM photos WHERE id = @p AND deleted_at IS NULL", ("@p", photo.Value)) is null)
        {
            throw StoreErrors.PhotoNotFound(photo);
        }
    }
}
