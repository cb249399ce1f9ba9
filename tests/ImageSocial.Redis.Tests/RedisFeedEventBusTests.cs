using ImageSocial.ConformanceTests;

namespace ImageSocial.Redis.Tests;

/// <summary>The bus kit through the real server: the publisher and the listener on two connections, as two hosts.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisFeedEventBusTests(RedisFixture redis) : FeedEventBusTests
{
    protected override (IFeedEventBus Publisher, IFeedEventBus Listener) CreateBuses()
    {
        var options = redis.NewOptions();
        return (new RedisFeedEventBus(redis.NewConnection(options)), new RedisFeedEventBus(redis.NewConnection(options)));
    }
}
