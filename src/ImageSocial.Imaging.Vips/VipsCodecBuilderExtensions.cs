using ImageSocial;
using ImageSocial.Imaging.Vips;
using ImageSocial.ProviderServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the libvips image codec.</summary>
public static class VipsCodecBuilderExtensions
{
    /// <summary>Probes, renders and prepares model input with libvips, replacing any codec added before.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="VipsCodecOptions"/> (limits, rendition format and quality).</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddVipsImageCodec(this IImageSocialBuilder builder, Action<VipsCodecOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<VipsCodecOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder);
    }

    /// <summary>Uses libvips with <see cref="VipsCodecOptions"/> bound from configuration (e.g. <c>ImageSocial:Vips</c>).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddVipsImageCodec(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<VipsCodecOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<VipsCodecOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VipsCodecOptions>, VipsCodecOptionsValidator>());
        services.UseProvider(sp => new VipsImageCodec(sp.GetRequiredService<IOptions<VipsCodecOptions>>(), sp.GetService<ILoggerFactory>()));
        return builder;
    }
}

/// <summary>Checks <see cref="VipsCodecOptions"/> at start-up, source-generated from its attributes.</summary>
[OptionsValidator]
internal sealed partial class VipsCodecOptionsValidator : IValidateOptions<VipsCodecOptions>
{
}
