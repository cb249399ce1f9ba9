using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Shared.Health;
using ImageSocial.Storage.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the S3 blob provider.</summary>
public static class S3BuilderExtensions
{
    /// <summary>The name of the provider's health check.</summary>
    public const string HealthCheckName = "imagesocial-s3";

    /// <summary>Keeps originals and renditions in an S3 bucket (Amazon S3 or an S3-compatible store), replacing any blob provider added
    /// before.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="S3BlobStoreOptions"/> (bucket, endpoint, credentials, encryption).</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddS3BlobStore(this IImageSocialBuilder builder, Action<S3BlobStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<S3BlobStoreOptions>().Configure(configure);
        return Register(builder);
    }

    /// <summary>Keeps blobs in S3 with <see cref="S3BlobStoreOptions"/> bound from configuration (<c>ImageSocial:S3</c> in the sample host).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddS3BlobStore(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<S3BlobStoreOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<S3BlobStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3BlobStoreOptions>, S3BlobStoreOptionsValidator>());
        services.UseProvider(sp => new S3BlobStore(sp.GetRequiredService<IOptions<S3BlobStoreOptions>>(), sp.GetService<ILoggerFactory>()));
        ProviderHealth.Add(services, HealthCheckName, ProviderHealth.Answers((sp, ct) => sp.GetRequiredService<S3BlobStore>().PingAsync(ct)));
        return builder;
    }
}
