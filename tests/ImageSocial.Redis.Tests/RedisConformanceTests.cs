using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageSocial.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisSharedCacheConformanceTests(RedisFixture redis) : SharedCacheTests
{
    protected override ISharedCache CreateCache() => new RedisSharedCache(redis.NewConnection(), NullLogger<RedisSharedCache>.Instance);
}

[Collection(RedisCollection.Name)]
public sealed class RedisTimelineStoreConformanceTests(RedisFixture redis) : TimelineStoreTests
{
    protected override int Capacity => 25;

    protected override ITimelineStore CreateStore() => new RedisTimelineStore(redis.NewConnection());
}

public class RedisTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(RedisSharedCache), typeof(RedisTimelineStore), typeof(RedisJobQueue), typeof(RedisFeedEventBus)];

    protected override IReadOnlyDictionary<Type, string> IgnoredSuites => new Dictionary<Type, string>();
}
