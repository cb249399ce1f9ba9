using System.Buffers.Binary;
using ImageSocial.Shared.Feeds;
using StackExchange.Redis;

namespace ImageSocial.Redis;

/// <summary>Feed announcements over Redis pub/sub (channel <c>{KeyPrefix}feed-events</c>): every host's subscribers hear every post.
/// Pub/sub is fire-and-forget, which is all an announcement needs (the feed itself is the record).</summary>
internal sealed class RedisFeedEventBus(RedisConnection connection) : IFeedEventBus
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("feed-events");

    public Task PublishAsync(FeedAnnouncement announcement, CancellationToken cancellationToken = default) =>
        RedisTelemetry.RunAsync("FeedAnnounce", async () =>
        {
            var subscriber = await connection.SubscriberAsync().ConfigureAwait(false);
            var message = new byte[16];
            BinaryPrimitives.WriteInt64BigEndian(message, announcement.Photo.Value);
            BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(8), announcement.Author.Value);
            await subscriber.PublishAsync(Channel, message).WaitAsync(cancellationToken).ConfigureAwait(false);
        });

    public async Task<IAsyncDisposable> SubscribeAsync(Func<FeedAnnouncement, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscriber = await connection.SubscriberAsync().ConfigureAwait(false);
        // The multiplexer's callbacks must not wait: announcements go through the pump's queue to the handler.
        var pump = new AnnouncementPump(handler);
        void OnMessage(RedisChannel _, RedisValue value)
        {
            var bytes = (byte[]?)value;
            if (bytes is { Length: 16 })
            {
                pump.Post(new FeedAnnouncement(new PhotoId(BinaryPrimitives.ReadInt64BigEndian(bytes)), new UserId(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)))));
            }
        }

        try
        {
            await subscriber.SubscribeAsync(Channel, OnMessage).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await pump.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new Subscription(subscriber, OnMessage, pump);
    }

    private sealed class Subscription(ISubscriber subscriber, Action<RedisChannel, RedisValue> handler, AnnouncementPump pump) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await subscriber.UnsubscribeAsync(Channel, handler).ConfigureAwait(false);
            await pump.DisposeAsync().ConfigureAwait(false);
        }
    }
}
