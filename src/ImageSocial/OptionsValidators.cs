using ImageSocial.Imaging.Vips;
using ImageSocial.Vectors.Embedded;
using Microsoft.Extensions.Options;

namespace ImageSocial;

/// <summary>Checks <see cref="ImageSocialOptions"/> at start-up (source-generated from its attributes).</summary>
[OptionsValidator]
internal sealed partial class ImageSocialOptionsValidator : IValidateOptions<ImageSocialOptions>
{
}

/// <summary>Checks <see cref="VipsCodecOptions"/> at start-up (source-generated from its attributes).</summary>
[OptionsValidator]
internal sealed partial class VipsCodecOptionsValidator : IValidateOptions<VipsCodecOptions>
{
}

/// <summary>Checks <see cref="EmbeddedVectorIndexOptions"/> (and its HNSW settings) at start-up.</summary>
[OptionsValidator]
internal sealed partial class EmbeddedVectorIndexOptionsValidator : IValidateOptions<EmbeddedVectorIndexOptions>
{
}
