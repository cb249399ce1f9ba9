namespace ImageSocial;

/// <summary>A comment on a photo.</summary>
/// <param name="Id">The comment id (on the photo owner's shard).</param>
/// <param name="PhotoId">The photo commented on.</param>
/// <param name="AuthorId">Who wrote it.</param>
/// <param name="Text">The text.</param>
public sealed record Comment(CommentId Id, PhotoId PhotoId, UserId AuthorId, string Text)
{
    /// <summary>When it was written, read from its id.</summary>
    public DateTimeOffset CreatedAt => Id.CreatedAt;

    /// <summary>Why a moderator hid the comment, or <see langword="null"/> when it is shown. A hidden comment is seen by its author
    /// only (with this reason).</summary>
    public string? HiddenReason { get; init; }
}
