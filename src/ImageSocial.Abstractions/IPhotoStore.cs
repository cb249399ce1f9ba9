namespace ImageSocial;

/// <summary>Photo metadata, with visibility applied inside every query that takes a viewer.</summary>
/// <remarks>
/// <para>Visibility rule: an owner sees all of their photos, deleted ones included. Anyone else sees a live photo when it is
/// <see cref="Visibility.Public"/> and its owner's account is not private, or when it is not <see cref="Visibility.Private"/>
/// and the viewer is an approved follower of the owner.</para>
/// <para>Writes that need follow-up work take outbox messages and commit them in the same transaction. Implementations are thread-safe.</para>
/// </remarks>
public interface IPhotoStore
{
    /// <summary>Creates a photo together with its follow-up work.</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="work">Outbox messages committed atomically with the photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">The owner does not exist.</exception>
    /// <exception cref="ConflictException">The id is taken.</exception>
    Task CreateAsync(Photo photo, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default);

    /// <summary>Gets a photo with no visibility check (deleted ones included), or <see langword="null"/>.</summary>
    /// <param name="id">The photo id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Photo?> GetAsync(PhotoId id, CancellationToken cancellationToken = default);

    /// <summary>Gets photos with no visibility check (deleted ones included) in one round trip, in the order of <paramref name="ids"/>; unknown
    /// ids are absent. For system work and for the core's cache, which applies the visibility rule itself; never for a viewer directly.</summary>
    /// <param name="ids">The photo ids.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<Photo>> GetManyAsync(IReadOnlyList<PhotoId> ids, CancellationToken cancellationToken = default);

    /// <summary>Gets the photos among <paramref name="ids"/> that <paramref name="viewer"/> may see, in one round trip, in the order of <paramref name="ids"/>.</summary>
    /// <param name="ids">The photo ids.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<Photo>> GetVisibleAsync(IReadOnlyList<PhotoId> ids, UserId viewer, CancellationToken cancellationToken = default);

    /// <summary>Hides a photo with a reason (visible to its owner only, with the reason) or shows it again (<paramref name="reason"/>
    /// <see langword="null"/>); deleted photos included.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="reason">Why it is hidden, or <see langword="null"/> to unhide.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether the photo exists.</returns>
    Task<bool> SetHiddenAsync(PhotoId id, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Changes title, tags or visibility of a live photo.</summary>
    /// <param name="id">The photo id.</param>
    /// <param name="update">The new values; <see langword="null"/> members keep their value.</param>
    /// <param name="work">Outbox messages committed atomically with the change.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The updated photo, or <see langword="null"/> when there is no live photo with that id.</returns>
    Task<Photo?> UpdateAsync(PhotoId id, PhotoUpdate update, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default);

    /// <summary>Replaces a video's facts and processing state (its web rendition was made, or failed), deleted or not.</summary>
    /// <param name="id">The photo id.</param>
    /// <param name="video">The new facts and state.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether a video with that id exists.</returns>
    Task<bool> UpdateVideoAsync(PhotoId id, VideoInfo video, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes a live photo.</summary>
    /// <param name="id">The photo id.</param>
    /// <param name="deletedAt">The deletion time.</param>
    /// <param name="work">Outbox messages committed atomically with the change.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether a live photo was deleted.</returns>
    Task<bool> SoftDeleteAsync(PhotoId id, DateTimeOffset deletedAt, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default);

    /// <summary>Restores a soft-deleted photo.</summary>
    /// <param name="id">The photo id.</param>
    /// <param name="work">Outbox messages committed atomically with the change.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether a deleted photo was restored.</returns>
    Task<bool> RestoreAsync(PhotoId id, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default);

    /// <summary>Removes photos soft-deleted before <paramref name="deletedBefore"/>, with their likes and comments, and writes a
    /// <see cref="OutboxKinds.PhotoPurged"/> message for each in the same transaction.</summary>
    /// <param name="deletedBefore">The retention cut-off.</param>
    /// <param name="max">The most photos to purge in this call.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The purged photos.</returns>
    Task<IReadOnlyList<Photo>> PurgeDeletedAsync(DateTimeOffset deletedBefore, int max, CancellationToken cancellationToken = default);

    /// <summary>An owner's soft-deleted photos, most recently deleted first.</summary>
    /// <param name="owner">The owner.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<Photo>> ListTrashAsync(UserId owner, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Every live photo whoever owns it, newest first: for system work such as re-embedding, never for a viewer.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<Photo>> ListAllLiveAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>An owner's live photos that <paramref name="viewer"/> may see, newest first.</summary>
    /// <param name="owner">The owner.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<Photo>> ListByOwnerAsync(UserId owner, UserId viewer, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>The newest live photos of several owners that <paramref name="viewer"/> may see, merged newest first: the batch read of pull feeds.</summary>
    /// <param name="owners">The owners.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="before">Only photos older than this id, or <see langword="null"/> for the newest.</param>
    /// <param name="limit">The most photos to return.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<Photo>> ListNewestByOwnersAsync(IReadOnlyCollection<UserId> owners, UserId viewer, PhotoId? before, int limit, CancellationToken cancellationToken = default);

    /// <summary>Searches live photos that <paramref name="viewer"/> may see by title words and/or a tag, newest first.</summary>
    /// <param name="query">The words and tag; at least one must be given.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<Photo>> SearchAsync(PhotoSearch query, UserId viewer, PageRequest page, CancellationToken cancellationToken = default);
}
