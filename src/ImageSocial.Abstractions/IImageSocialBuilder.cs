using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial;

/// <summary>The builder returned by <c>services.AddImageSocial(...)</c>; provider packages add extension methods to it.</summary>
public interface IImageSocialBuilder
{
    /// <summary>The service collection the SDK registers into.</summary>
    IServiceCollection Services { get; }
}
