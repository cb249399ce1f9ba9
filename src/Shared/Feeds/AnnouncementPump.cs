using System.Threading.Channels;

namespace ImageSocial.Shared.Feeds;

/// <summary>Runs one subscriber's handler for feed announcements off the publisher's thread: a bounded queue (when the handler falls
/// behind, the oldest announcements go, never the publisher's time) read by one task that calls the handler in order.</summary>
internal sealed class AnnouncementPump : IAsyncDisposable
{
    private readonly Channel<FeedAnnouncement> queue =
        Channel.CreateBounded<FeedAnnouncement>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Task pump;

    internal AnnouncementPump(Func<FeedAnnouncement, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        pump = Task.Run(async () =>
        {
            await foreach (var announcement in queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await handler(announcement).ConfigureAwait(false);
            }
        }, CancellationToken.None);
    }

    /// <summary>Queues an announcement for the handler; never waits.</summary>
    internal void Post(FeedAnnouncement announcement) => queue.Writer.TryWrite(announcement);

    /// <summary>Stops taking announcements and waits for the handler to finish the queued ones.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await pump.ConfigureAwait(false);
    }
}
