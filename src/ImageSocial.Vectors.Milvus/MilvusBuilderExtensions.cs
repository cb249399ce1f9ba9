using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Shared.Health;
using ImageSocial.Vectors.Milvus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Milvus vector provider.</summary>
public static class MilvusBuilderExtensions
{
    /// <summary>The name of the provider's health check.</summary>
    public const string HealthCheckName = "imagesocial-milvus";

    /// <summary>Searches similar photos in a Milvus collection (over its REST API v2) per embedding space (the registered <see cref="IEmbeddingEngine"/>'s
    /// model), replacing any vector provider added before.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="MilvusVectorIndexOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddMilvusVectorIndex(this IImageSocialBuilder builder, Action<MilvusVectorIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<MilvusVectorIndexOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder);
    }

    /// <summary>Searches with Milvus, its <see cref="MilvusVectorIndexOptions"/> bound from configuration (<c>ImageSocial:Milvus</c> in
    /// the sample host).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddMilvusVectorIndex(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<MilvusVectorIndexOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MilvusVectorIndexOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MilvusVectorIndexOptions>, MilvusVectorIndexOptionsValidator>());
        services.UseProvider(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MilvusVectorIndexOptions>>().Value;
            // One collection per embedding space: another model starts an empty collection that the backfill job fills.
            var space = EmbeddingSpaceNames.FromModelId(sp.GetRequiredService<IEmbeddingEngine>().ModelId);
            return new MilvusVectorIndex(options, MilvusVectorIndex.CollectionName(options.CollectionPrefix, space));
        });
        ProviderHealth.Add(services, HealthCheckName, ProviderHealth.Answers((sp, ct) => sp.GetRequiredService<MilvusVectorIndex>().PingAsync(ct)));
        return builder;
    }
}
