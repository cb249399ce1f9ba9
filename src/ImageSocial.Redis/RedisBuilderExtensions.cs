using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Redis;
using ImageSocial.Shared.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis provider: the shared read cache, job dispatch across hosts and stored timelines, on one connection.</summary>
public static class RedisBuilderExtensions
{
    /// <summary>The name of the provider's health check.</summary>
    public const string HealthCheckName = "imagesocial-redis";

    /// <summary>Adds the shared read cache on Redis (<see cref="ISharedCache"/>): photo records, profiles, follow sets and counts, feed pages
    /// and similar results, shared by every host, invalidated by every write, never trusted for access.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="RedisOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddRedisCache(this IImageSocialBuilder builder, Action<RedisOptions> configure) =>
        Configure(builder, configure).AddCache();

    /// <summary>Adds the shared read cache with <see cref="RedisOptions"/> bound from configuration (<c>ImageSocial:Redis</c> in the sample host).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddRedisCache(this IImageSocialBuilder builder, IConfiguration configuration) =>
        Configure(builder, configuration).AddCache();

    /// <summary>Hands due outbox work to the job runners of every host through a Redis stream and consumer group (<see cref="IJobQueue"/>).
    /// The outbox stays the durable record; without Redis reachable, runners claim from it directly.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="RedisOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddRedisJobs(this IImageSocialBuilder builder, Action<RedisOptions> configure) =>
        Configure(builder, configure).AddJobs();

    /// <summary>Hands due outbox work out through Redis, with <see cref="RedisOptions"/> bound from configuration.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddRedisJobs(this IImageSocialBuilder builder, IConfiguration configuration) =>
        Configure(builder, configuration).AddJobs();

    /// <summary>Stores home timelines in Redis sorted sets (<see cref="ITimelineStore"/>), for push feeds.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="RedisOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddRedisTimelines(this IImageSocialBuilder builder, Action<RedisOptions> configure) =>
        Configure(builder, configure).AddTimelines();

    /// <summary>Stores home timelines in Redis, with <see cref="RedisOptions"/> bound from configuration.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddRedisTimelines(this IImageSocialBuilder builder, IConfiguration configuration) =>
        Configure(builder, configuration).AddTimelines();

    /// <summary>Carries feed announcements (new posts for viewers watching their feed) to every host through Redis pub/sub
    /// (<see cref="IFeedEventBus"/>); without it they reach the viewers connected to the host that ran the post's job only.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="RedisOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddRedisFeedEvents(this IImageSocialBuilder builder, Action<RedisOptions> configure) =>
        Configure(builder, configure).AddFeedEvents();

    /// <summary>Carries feed announcements through Redis, with <see cref="RedisOptions"/> bound from configuration.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddRedisFeedEvents(this IImageSocialBuilder builder, IConfiguration configuration) =>
        Configure(builder, configuration).AddFeedEvents();

    private static IImageSocialBuilder Configure(IImageSocialBuilder builder, Action<RedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<RedisOptions>().Configure(configure);
        return AddConnection(builder);
    }

    private static IImageSocialBuilder Configure(IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<RedisOptions>().Bind(configuration);
        return AddConnection(builder);
    }

    /// <summary>The one connection every Redis service of the provider shares, its options' validation and its health check.</summary>
    private static IImageSocialBuilder AddConnection(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RedisOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        services.TryAddSingleton(sp => new RedisConnection(sp.GetRequiredService<IOptions<RedisOptions>>(), sp.GetService<ILoggerFactory>()));
        ProviderHealth.Add(services, HealthCheckName, ProviderHealth.Answers((sp, _) => sp.GetRequiredService<RedisConnection>().PingAsync()));
        return builder;
    }

    private static IImageSocialBuilder AddCache(this IImageSocialBuilder builder)
    {
        builder.Services.UseProvider(sp => new RedisSharedCache(sp.GetRequiredService<RedisConnection>(), Logger<RedisSharedCache>(sp)));
        return builder;
    }

    private static IImageSocialBuilder AddJobs(this IImageSocialBuilder builder)
    {
        builder.Services.UseProvider(sp => new RedisJobQueue(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<IOutbox>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, Logger<RedisJobQueue>(sp)));
        return builder;
    }

    private static IImageSocialBuilder AddTimelines(this IImageSocialBuilder builder)
    {
        builder.Services.UseProvider(sp => new RedisTimelineStore(sp.GetRequiredService<RedisConnection>()));
        return builder;
    }

    private static IImageSocialBuilder AddFeedEvents(this IImageSocialBuilder builder)
    {
        builder.Services.UseProvider(sp => new RedisFeedEventBus(sp.GetRequiredService<RedisConnection>()));
        return builder;
    }

    private static ILogger<T> Logger<T>(IServiceProvider sp) => sp.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
