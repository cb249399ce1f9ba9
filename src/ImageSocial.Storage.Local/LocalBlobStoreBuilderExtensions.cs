using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Shared.Health;
using ImageSocial.Storage.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the local-disk blob provider.</summary>
public static class LocalBlobStoreBuilderExtensions
{
    /// <summary>The name of the provider's health check.</summary>
    public const string HealthCheckName = "imagesocial-local-blobs";

    /// <summary>Keeps originals and renditions in a folder on the local file system, replacing any blob provider added before.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="LocalBlobStoreOptions"/> (the folder, the read-URL base and signing key).</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddLocalBlobStore(this IImageSocialBuilder builder, Action<LocalBlobStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<LocalBlobStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder);
    }

    /// <summary>Keeps blobs on local disk with <see cref="LocalBlobStoreOptions"/> bound from configuration (e.g. <c>ImageSocial:LocalBlobs</c>).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddLocalBlobStore(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<LocalBlobStoreOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LocalBlobStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalBlobStoreOptions>, LocalBlobStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalBlobStoreOptions>, LocalBlobEncryptionValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.UseProvider(sp => new LocalBlobStore(sp.GetRequiredService<IOptions<LocalBlobStoreOptions>>(), sp.GetRequiredService<TimeProvider>()));
        ProviderHealth.Add(services, HealthCheckName, ProviderHealth.Answers((sp, _) => sp.GetRequiredService<LocalBlobStore>().PingAsync()));
        return builder;
    }
}

/// <summary>Checks <see cref="LocalBlobStoreOptions"/> at start-up, source-generated from its attributes.</summary>
[OptionsValidator]
internal sealed partial class LocalBlobStoreOptionsValidator : IValidateOptions<LocalBlobStoreOptions>
{
}
