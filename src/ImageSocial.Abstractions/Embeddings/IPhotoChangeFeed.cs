namespace ImageSocial;

/// <summary>The photos whose indexable state changed (created, embedded, edited, deleted, restored, purged, or their owner's privacy
/// changed), in an order a reader can follow without ever missing one: what every host's vector index catches up from.</summary>
/// <remarks>A change names only the photo: the reader re-reads its current state, so changes applied twice or in another order than
/// they were made still leave the index right. A position is opaque; it stays valid until changes after it are pruned.</remarks>
public interface IPhotoChangeFeed
{
    /// <summary>The changes after a position, at most <paramref name="max"/>, and the position after them. Only changes whose
    /// transactions are over are returned, and none committed later can land before the returned position.</summary>
    /// <param name="after">A position from an earlier call, or <see langword="null"/> for the beginning.</param>
    /// <param name="max">The most changes to return.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ChangeFeedPositionExpiredException">Changes after <paramref name="after"/> (or, for <see langword="null"/>, any)
    /// have been pruned: reload from the store and go on from <see cref="GetHeadAsync"/>.</exception>
    Task<PhotoChanges> ReadChangesAsync(string? after, int max, CancellationToken cancellationToken = default);

    /// <summary>Deletes the changes recorded before <paramref name="before"/>, so the feed does not grow forever. A reader still
    /// positioned before one of them gets <see cref="ChangeFeedPositionExpiredException"/> on its next read and reloads.</summary>
    /// <param name="before">Changes recorded earlier than this go (on PostgreSQL, only those of transactions already over).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many changes were deleted.</returns>
    Task<int> PruneChangesAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>The position after every change readable now: where a reader that has just loaded everything (a rebuild) goes on from.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<string> GetHeadAsync(CancellationToken cancellationToken = default);
}

/// <summary>A page of the change feed.</summary>
/// <param name="Photos">The photos that changed, in feed order (a photo may appear more than once).</param>
/// <param name="Position">Where the next read starts.</param>
public sealed record PhotoChanges(IReadOnlyList<PhotoId> Photos, string Position);
