using System.Threading.Channels;

namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IFeedEventBus))]
public abstract class FeedEventBusTests
{
    /// <summary>Two handles on one bus as two hosts would hold them (the same instance for an in-process bus).</summary>
    protected abstract (IFeedEventBus Publisher, IFeedEventBus Listener) CreateBuses();

    [Fact]
    public virtual async Task An_announcement_reaches_every_subscriber_until_it_unsubscribes()
    {
        var (publisher, listener) = CreateBuses();
        var (first, second) = (Channel.CreateUnbounded<FeedAnnouncement>(), Channel.CreateUnbounded<FeedAnnouncement>());
        var one = await listener.SubscribeAsync(a => first.Writer.WriteAsync(a).AsTask());
        var two = await listener.SubscribeAsync(a => second.Writer.WriteAsync(a).AsTask());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var sent = new FeedAnnouncement(new PhotoId((1L << 60) + 7), new UserId(42));
        await publisher.PublishAsync(sent);
        Assert.Equal(sent, await first.Reader.ReadAsync(timeout.Token));
        Assert.Equal(sent, await second.Reader.ReadAsync(timeout.Token));

        await one.DisposeAsync();
        var later = new FeedAnnouncement(new PhotoId(9), new UserId(44));
        await publisher.PublishAsync(later);
        Assert.Equal(later, await second.Reader.ReadAsync(timeout.Token));
        await two.DisposeAsync();
        // The first subscriber heard nothing after it left.
        Assert.False(first.Reader.TryRead(out _));
    }
}
