using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Shared.Health;
using ImageSocial.Vectors.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedded vector index.</summary>
public static class EmbeddedVectorIndexBuilderExtensions
{
    /// <summary>The name of the provider's health check.</summary>
    public const string HealthCheckName = "imagesocial-embedded-vectors";

    /// <summary>Searches similar photos with an index inside this process, one per embedding space (the registered
    /// <see cref="IEmbeddingEngine"/>'s model) under <see cref="EmbeddedVectorIndexOptions.Directory"/>; replaces any vector provider
    /// added before.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="EmbeddedVectorIndexOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddEmbeddedVectorIndex(this IImageSocialBuilder builder, Action<EmbeddedVectorIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<EmbeddedVectorIndexOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder);
    }

    /// <summary>Searches with the embedded index, its <see cref="EmbeddedVectorIndexOptions"/> bound from configuration
    /// (e.g. <c>ImageSocial:EmbeddedVectors</c>).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddEmbeddedVectorIndex(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<EmbeddedVectorIndexOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmbeddedVectorIndexOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddedVectorIndexOptions>, EmbeddedVectorIndexOptionsValidator>());
        services.UseProvider(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmbeddedVectorIndexOptions>>().Value;
            // One index per embedding space: another model starts an empty index that the backfill job fills.
            var space = EmbeddingSpaceNames.FromModelId(sp.GetRequiredService<IEmbeddingEngine>().ModelId);
            return new EmbeddedVectorIndex(options, options.LogPath ?? Path.Combine(options.Directory, space, "index.log"));
        });
        ProviderHealth.Add(services, HealthCheckName, ProviderHealth.Answers((sp, ct) => sp.GetRequiredService<EmbeddedVectorIndex>().CountAsync(ct)));
        return builder;
    }
}

/// <summary>Checks <see cref="EmbeddedVectorIndexOptions"/> (and its HNSW settings) at start-up, source-generated from the attributes.</summary>
[OptionsValidator]
internal sealed partial class EmbeddedVectorIndexOptionsValidator : IValidateOptions<EmbeddedVectorIndexOptions>
{
}
