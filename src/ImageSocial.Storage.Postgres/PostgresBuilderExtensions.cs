using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Shared.Health;
using ImageSocial.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL metadata provider.</summary>
public static class PostgresBuilderExtensions
{
    /// <summary>The name of the provider's health check.</summary>
    public const string HealthCheckName = "imagesocial-postgres";

    /// <summary>Stores users, photos, the follow graph, likes, comments, the outbox and the embedding spaces on logical shards over
    /// PostgreSQL servers, and routes by the cluster's persisted <see cref="PostgresShardMap"/> (which replaces the default map); replaces
    /// any metadata provider added before. A host creates the schemas at start-up in the background (its health check reports
    /// "degraded" with the progress until they exist).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Names the servers and sets the rules.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddPostgresMetadata(this IImageSocialBuilder builder, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgresStoreOptions>().Configure(configure);
        return Register(builder);
    }

    /// <summary>Stores the metadata on PostgreSQL with <see cref="PostgresStoreOptions"/> bound from configuration
    /// (<c>ImageSocial:Postgres</c> in the sample host).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddPostgresMetadata(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<PostgresStoreOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PostgresStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());
        // Timelines only by default: AddRedisTimelines() keeps them in Redis whichever is added first.
        services.UseProvider(sp => new PostgresMetadataStore(sp.GetRequiredService<IOptions<PostgresStoreOptions>>(), sp.GetService<ILoggerFactory>()), [typeof(ITimelineStore)]);
        services.UseProvider(sp => sp.GetRequiredService<PostgresMetadataStore>().Map);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresProvisioningService>());
        ProviderHealth.Add(services, HealthCheckName, (sp, ct) => PostgresHealth.CheckAsync(sp.GetRequiredService<PostgresMetadataStore>().Cluster, ct));
        return builder;
    }
}
