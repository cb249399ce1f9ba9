namespace ImageSocial;

/// <summary>Builds a viewer's home feed and reacts to the events that change feeds.</summary>
/// <remarks>The event methods are called by the job runner, at least once each: they are idempotent. Thread-safe.</remarks>
public interface IFeedBuilder
{
    /// <summary>A page of the viewer's feed: photos of accounts the viewer follows that the viewer may see.</summary>
    /// <param name="viewer">Whose feed.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<Photo>> GetPageAsync(UserId viewer, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>A photo became visible (uploaded or restored).</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task OnPublishedAsync(Photo photo, CancellationToken cancellationToken = default);

    /// <summary>A photo was deleted.</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task OnDeletedAsync(Photo photo, CancellationToken cancellationToken = default);

    /// <summary>A follow was approved.</summary>
    /// <param name="follower">Who follows.</param>
    /// <param name="followee">Who is followed.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task OnFollowedAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default);

    /// <summary>A follow was removed.</summary>
    /// <param name="follower">Who followed.</param>
    /// <param name="followee">Who was followed.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task OnUnfollowedAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default);

    /// <summary>A published photo's title, tags or visibility changed (a photo made visible again must reach the feeds it was kept out of).</summary>
    /// <param name="photo">The photo as it is now.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task OnUpdatedAsync(Photo photo, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Regenerates whatever is stored for one viewer's feed (a user back after a long absence); the job runner calls it for a
    /// <see cref="OutboxKinds.FeedRebuild"/> message. Nothing to do for a feed that stores nothing.</summary>
    /// <param name="viewer">Whose feed.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task RebuildAsync(UserId viewer, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
