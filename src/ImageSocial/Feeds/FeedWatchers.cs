using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ImageSocial;

/// <summary>The viewers of this process watching their feed for new posts: one bus subscription for all of them, and for each announcement
/// a check per watching viewer that they follow the author and may see the post before its id is handed on.</summary>
internal sealed class FeedWatchers(SdkParts parts, IFeedEventBus bus) : IAsyncDisposable
{
    /// <summary>Streams one user may hold open at once on one host.</summary>
    internal const int StreamsPerUser = 4;

    /// <summary>Ids one stream buffers for a slow reader; older ones are dropped (the feed still has them).</summary>
    private const int BufferPerStream = 32;

    private readonly ConcurrentDictionary<UserId, List<Channel<PhotoId>>> watchers = new();
    private readonly SemaphoreSlim subscribing = new(1, 1);
    private IAsyncDisposable? subscription;

    internal async Task<FeedWatch> WatchAsync(UserId viewer, CancellationToken cancellationToken)
    {
        await EnsureSubscribedAsync(cancellationToken).ConfigureAwait(false);
        var channel = Channel.CreateBounded<PhotoId>(new BoundedChannelOptions(BufferPerStream) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var streams = watchers.GetOrAdd(viewer, _ => []);
        lock (streams)
        {
            if (streams.Count >= StreamsPerUser)
            {
                throw new ConflictException($"At most {StreamsPerUser} feed event streams may be open at once for one user.");
            }

            streams.Add(channel);
        }

        return new FeedWatch(channel.Reader, () =>
        {
            lock (streams)
            {
                streams.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (subscription is { } current)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }

        subscribing.Dispose();
    }

    private async Task EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        if (subscription is not null)
        {
            return;
        }

        await subscribing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            subscription ??= await bus.SubscribeAsync(DeliverAsync, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            subscribing.Release();
        }
    }

    private async Task DeliverAsync(FeedAnnouncement announcement)
    {
        foreach (var (viewer, streams) in watchers)
        {
            Channel<PhotoId>[] open;
            lock (streams)
            {
                open = [.. streams];
            }

            if (open.Length == 0 || viewer == announcement.Author)
            {
                continue;
            }

            try
            {
                // The same rule as the feed: an approved follower of the author who may see the post, checked now, not when it was posted.
                if (await parts.Graph.GetStateAsync(viewer, announcement.Author).ConfigureAwait(false) != FollowState.Following
                    || (await parts.Photos.GetVisibleAsync([announcement.Photo], viewer).ConfigureAwait(false)).Count == 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Best effort: the viewer still finds the post by paging the feed.
                FeedLog.DeliveryFailed(parts.Logger, ex);
                continue;
            }

            foreach (var stream in open)
            {
                stream.Writer.TryWrite(announcement.Photo);
            }
        }
    }
}
