namespace ImageSocial;

/// <summary>Likes and comments; the photo's counts change in the same transaction.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IInteractionStore
{
    /// <summary>Records a like of a live photo; idempotent.</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="user">Who likes it.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether a new like was recorded.</returns>
    Task<bool> LikeAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default);

    /// <summary>Removes a like; idempotent.</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="user">Who liked it.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether a like was removed.</returns>
    Task<bool> UnlikeAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default);

    /// <summary>Whether a user likes a photo.</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<bool> HasLikedAsync(PhotoId photo, UserId user, CancellationToken cancellationToken = default);

    /// <summary>Adds a comment to a live photo.</summary>
    /// <param name="comment">The comment, with an id on the photo's shard.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">The photo is missing or deleted.</exception>
    Task AddCommentAsync(Comment comment, CancellationToken cancellationToken = default);

    /// <summary>A photo's comments, oldest first.</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<Comment>> GetCommentsAsync(PhotoId photo, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>One comment, hidden or not, or <see langword="null"/>.</summary>
    /// <param name="id">The comment.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Comment?> GetCommentAsync(CommentId id, CancellationToken cancellationToken = default);

    /// <summary>Hides a comment with a reason, or shows it again (<paramref name="reason"/> <see langword="null"/>).</summary>
    /// <param name="id">The comment.</param>
    /// <param name="reason">Why it is hidden, or <see langword="null"/> to unhide.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether the comment exists.</returns>
    Task<bool> SetCommentHiddenAsync(CommentId id, string? reason, CancellationToken cancellationToken = default);
}
