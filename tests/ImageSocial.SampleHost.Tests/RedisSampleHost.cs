using ImageSocial.Testing.Servers;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The sample host with its cache, its job hand-out, hybrid feeds' timelines and new-post events on a real Redis server, as a
/// deployment chooses by configuration (<c>ImageSocial:Providers:Cache=redis</c>, <c>ImageSocial:Providers:Jobs=redis</c>,
/// <c>ImageSocial:Feed:Mode=hybrid</c>, <c>ImageSocial:Feed:Store=redis</c>, <c>ImageSocial:Redis:*</c>).</summary>
public sealed class RedisSampleHost : IDisposable
{
    private readonly RedisServer redis = RedisServer.Start();

    public RedisSampleHost()
    {
        Factory = new SampleHostFactory
        {
            Settings =
            {
                ["ImageSocial:Providers:Cache"] = "redis",
                ["ImageSocial:Providers:Jobs"] = "redis",
                ["ImageSocial:Feed:Mode"] = "hybrid",
                ["ImageSocial:Feed:Store"] = "redis",
                ["ImageSocial:Redis:Configuration"] = redis.Configuration,
                ["ImageSocial:Redis:KeyPrefix"] = RedisServer.NewPrefix(),
            },
        };
    }

    public SampleHostFactory Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        redis.Dispose();
    }
}
