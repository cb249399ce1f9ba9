using Microsoft.Extensions.Options;

namespace ImageSocial;

/// <summary>Checks <see cref="ImageSocialOptions"/> (and its job runner settings) at start-up, source-generated from their attributes.</summary>
[OptionsValidator]
internal sealed partial class ImageSocialOptionsValidator : IValidateOptions<ImageSocialOptions>
{
}
