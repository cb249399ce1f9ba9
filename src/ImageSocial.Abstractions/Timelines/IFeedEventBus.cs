namespace ImageSocial;

/// <summary>Carries "a post was published" to every host, so that each can tell its connected viewers that their feed has something
/// new (the sample host's Server-Sent Events). Delivery is best effort: a viewer who misses an announcement still finds the post by
/// paging the feed.</summary>
/// <remarks>An announcement names ids only and is no permission: whoever delivers one to a viewer first checks that the viewer follows
/// the author and may see the post. Thread-safe.</remarks>
public interface IFeedEventBus
{
    /// <summary>Announces a published post to every subscriber, on every host.</summary>
    /// <param name="announcement">The post and its author.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task PublishAsync(FeedAnnouncement announcement, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="handler"/> for every announcement until the returned handle is disposed.</summary>
    /// <param name="handler">Called once per announcement, never concurrently with itself.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IAsyncDisposable> SubscribeAsync(Func<FeedAnnouncement, Task> handler, CancellationToken cancellationToken = default);
}

/// <summary>A post that reached the feeds.</summary>
/// <param name="Photo">The post.</param>
/// <param name="Author">Its owner.</param>
public readonly record struct FeedAnnouncement(PhotoId Photo, UserId Author);
