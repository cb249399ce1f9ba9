using System.Threading.Channels;

namespace ImageSocial;

/// <summary>The default <see cref="IFeedEventBus"/>: announcements reach the subscribers of this process only (one host). A deployment of
/// several hosts adds a shared bus (<c>AddRedisFeedEvents()</c>).</summary>
internal sealed class InProcessFeedEventBus : IFeedEventBus
{
    private readonly Lock gate = new();
    private readonly List<Channel<FeedAnnouncement>> subscribers = [];

    public Task PublishAsync(FeedAnnouncement announcement, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryWrite(announcement);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(Func<FeedAnnouncement, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        // Bounded: a slow handler loses the oldest announcements, never the publisher's time.
        var channel = Channel.CreateBounded<FeedAnnouncement>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (gate)
        {
            subscribers.Add(channel);
        }

        var pump = Task.Run(async () =>
        {
            await foreach (var announcement in channel.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await handler(announcement).ConfigureAwait(false);
            }
        }, CancellationToken.None);
        return Task.FromResult<IAsyncDisposable>(new Subscription(this, channel, pump));
    }

    private sealed class Subscription(InProcessFeedEventBus bus, Channel<FeedAnnouncement> channel, Task pump) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            lock (bus.gate)
            {
                bus.subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
            await pump.ConfigureAwait(false);
        }
    }
}
