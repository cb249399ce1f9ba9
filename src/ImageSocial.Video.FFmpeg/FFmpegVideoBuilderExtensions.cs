using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Video.FFmpeg;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the FFmpeg video processor, which makes the SDK accept videos.</summary>
public static class FFmpegVideoBuilderExtensions
{
    /// <summary>Accepts videos, processed with <c>ffprobe</c> and <c>ffmpeg</c> (Debian's <c>ffmpeg</c> package, or any build on
    /// <c>PATH</c>), replacing any video processor added before.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="FFmpegOptions"/> (tool paths, time limits, encoder settings).</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddFFmpegVideo(this IImageSocialBuilder builder, Action<FFmpegOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<FFmpegOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder);
    }

    /// <summary>Accepts videos, with <see cref="FFmpegOptions"/> bound from configuration (e.g. <c>ImageSocial:FFmpeg</c>).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddFFmpegVideo(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<FFmpegOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FFmpegOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FFmpegOptions>, FFmpegOptionsValidator>());
        services.UseProvider(sp => new FFmpegVideoProcessor(sp.GetRequiredService<IOptions<FFmpegOptions>>(), sp.GetService<ILogger<FFmpegVideoProcessor>>()));
        return builder;
    }
}

/// <summary>Checks <see cref="FFmpegOptions"/> at start-up: the ranges of its attributes, source-generated, then the time limits.</summary>
internal sealed partial class FFmpegOptionsValidator : IValidateOptions<FFmpegOptions>
{
    public ValidateOptionsResult Validate(string? name, FFmpegOptions options)
    {
        var failures = new List<string>();
        var ranges = new RangeValidator().Validate(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        foreach (var (setting, value) in new[] { ("ProbeTimeout", options.ProbeTimeout), ("PosterTimeout", options.PosterTimeout), ("RenditionTimeout", options.RenditionTimeout) })
        {
            if (value < TimeSpan.FromSeconds(1) || value > TimeSpan.FromDays(1))
            {
                failures.Add($"ImageSocial:FFmpeg:{setting} is {value}; it must be between 1 second and 1 day.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<FFmpegOptions>
    {
    }
}
