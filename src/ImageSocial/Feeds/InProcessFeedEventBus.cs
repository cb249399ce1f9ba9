using ImageSocial.Shared.Feeds;

namespace ImageSocial;

/// <summary>The default <see cref="IFeedEventBus"/>: announcements reach the subscribers of this process only (one host). A deployment of
/// several hosts adds a shared bus (<c>AddRedisFeedEvents()</c>).</summary>
internal sealed class InProcessFeedEventBus : IFeedEventBus
{
    private readonly Lock gate = new();
    private readonly List<AnnouncementPump> subscribers = [];

    public Task PublishAsync(FeedAnnouncement announcement, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Post(announcement);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(Func<FeedAnnouncement, Task> handler, CancellationToken cancellationToken = default)
    {
        var pump = new AnnouncementPump(handler);
        lock (gate)
        {
            subscribers.Add(pump);
        }

        return Task.FromResult<IAsyncDisposable>(new Subscription(this, pump));
    }

    private sealed class Subscription(InProcessFeedEventBus bus, AnnouncementPump pump) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            lock (bus.gate)
            {
                bus.subscribers.Remove(pump);
            }

            await pump.DisposeAsync().ConfigureAwait(false);
        }
    }
}
