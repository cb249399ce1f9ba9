using ImageSocial.ConformanceTests;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Redis.Tests;

/// <summary>The SDK on its embedded defaults in a temp folder with the Redis cache, the job runner driven by hand.</summary>
internal sealed class CachedHost : IDisposable
{
    private readonly ServiceProvider provider;
    private readonly TemporaryDirectory folder = new();

    public CachedHost(RedisOptions redis, Action<IServiceCollection>? decorate = null, string? dataDirectory = null)
    {
        var services = new ServiceCollection();
        services.AddImageSocial(o => o.Jobs.Enabled = false)
            .AddRedisCache(o => (o.Configuration, o.KeyPrefix) = (redis.Configuration, redis.KeyPrefix))
            .AddEmbeddedDefaults(dataDirectory ?? folder.Path);
        decorate?.Invoke(services);
        provider = services.BuildServiceProvider();
    }

    public ImageSocialService Service => provider.GetRequiredService<ImageSocialService>();

    public JobRunner Jobs => provider.GetRequiredService<JobRunner>();

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public void Dispose()
    {
        provider.Dispose();
        folder.Dispose();
    }
}
