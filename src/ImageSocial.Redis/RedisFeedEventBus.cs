using System.Buffers.Binary;
using System.Threading.Channels;
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
        // The multiplexer's callbacks must not wait: announcements go through a bounded queue to one reader running the handler.
        var queue = System.Threading.Channels.Channel.CreateBounded<FeedAnnouncement>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        void OnMessage(RedisChannel _, RedisValue value)
        {
            var bytes = (byte[]?)value;
            if (bytes is { Length: 16 })
            {
                queue.Writer.TryWrite(new FeedAnnouncement(new PhotoId(BinaryPrimitives.ReadInt64BigEndian(bytes)), new UserId(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)))));
            }
        }

        await subscriber.SubscribeAsync(Channel, OnMessage).WaitAsync(cancellationToken).ConfigureAwait(false);
        var pump = Task.Run(async () =>
        {
            await foreach (var announcement in queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await handler(announcement).ConfigureAwait(false);
            }
        }, CancellationToken.None);
        return new Subscription(subscriber, OnMessage, queue, pump);
    }

    private sealed class Subscription(ISubscriber subscriber, Action<RedisChannel, RedisValue> handler, Channel<FeedAnnouncement> queue, Task pump) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await subscriber.UnsubscribeAsync(Channel, handler).ConfigureAwait(false);
            queue.Writer.TryComplete();
            await pump.ConfigureAwait(false);
        }
    }
}
