using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Shared.Health;
using ImageSocial.Vectors.Qdrant;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Qdrant vector provider.</summary>
public static class QdrantBuilderExtensions
{
    /// <summary>The name of the provider's health check.</summary>
    public const string HealthCheckName = "imagesocial-qdrant";

    /// <summary>Searches similar photos in a Qdrant collection per embedding space (the registered <see cref="IEmbeddingEngine"/>'s
    /// model), replacing any vector provider added before.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="QdrantVectorIndexOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddQdrantVectorIndex(this IImageSocialBuilder builder, Action<QdrantVectorIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<QdrantVectorIndexOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder);
    }

    /// <summary>Searches with Qdrant, its <see cref="QdrantVectorIndexOptions"/> bound from configuration (<c>ImageSocial:Qdrant</c> in
    /// the sample host).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddQdrantVectorIndex(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<QdrantVectorIndexOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<QdrantVectorIndexOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QdrantVectorIndexOptions>, QdrantVectorIndexOptionsValidator>());
        services.UseProvider(sp =>
        {
            var options = sp.GetRequiredService<IOptions<QdrantVectorIndexOptions>>().Value;
            // One collection per embedding space: another model starts an empty collection that the backfill job fills.
            var space = EmbeddingSpaceNames.FromModelId(sp.GetRequiredService<IEmbeddingEngine>().ModelId);
            return new QdrantVectorIndex(options, options.CollectionPrefix + space, sp.GetService<ILoggerFactory>());
        });
        ProviderHealth.Add(services, HealthCheckName, ProviderHealth.Answers((sp, ct) => sp.GetRequiredService<QdrantVectorIndex>().PingAsync(ct)));
        return builder;
    }
}
