namespace ImageSocial;

/// <summary>Decodes, inspects and re-encodes images. CPU-bound: methods are synchronous and honour cancellation between steps.</summary>
/// <remarks>Every method rejects bad input with <see cref="UnsupportedImageFormatException"/>, <see cref="InputTooLargeException"/> or
/// <see cref="ImageDecodeException"/>. Implementations are thread-safe.</remarks>
public interface IImageCodec
{
    /// <summary>Reads format, size, orientation and EXIF facts from the header, without decoding pixels.</summary>
    /// <param name="data">The encoded image.</param>
    ImageInfo Probe(ReadOnlyMemory<byte> data);

    /// <summary>Makes renditions, auto-rotated by EXIF orientation and without EXIF or GPS.</summary>
    /// <param name="data">The encoded image.</param>
    /// <param name="renditions">The sizes to make.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    IReadOnlyList<EncodedRendition> CreateRenditions(ReadOnlyMemory<byte> data, IReadOnlyList<RenditionSpec> renditions, CancellationToken cancellationToken = default);

    /// <summary>Decodes straight to a model's input size and writes normalized RGB planes (CHW float32) into <paramref name="destination"/>.</summary>
    /// <param name="data">The encoded image.</param>
    /// <param name="spec">The model's input.</param>
    /// <param name="destination">At least 3 × width × height floats.</param>
    void GetModelInput(ReadOnlyMemory<byte> data, ModelInputSpec spec, Span<float> destination);
}

/// <summary>A rendition to make.</summary>
/// <param name="Kind">Which rendition.</param>
/// <param name="Size">The long edge, or the square's side when <paramref name="SquareCrop"/>.</param>
/// <param name="SquareCrop">Whether to fill a square and crop the centre.</param>
public sealed record RenditionSpec(RenditionKind Kind, int Size, bool SquareCrop)
{
    /// <summary>The standard set: thumb 150 (square), feed 640, large 1080.</summary>
    public static IReadOnlyList<RenditionSpec> Standard { get; } =
    [
        new(RenditionKind.Thumb, 150, true),
        new(RenditionKind.Feed, 640, false),
        new(RenditionKind.Large, 1080, false),
    ];
}

/// <summary>An encoded rendition.</summary>
/// <param name="Kind">Which rendition.</param>
/// <param name="Data">The encoded bytes.</param>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels.</param>
/// <param name="ContentType">The MIME type.</param>
public sealed record EncodedRendition(RenditionKind Kind, byte[] Data, int Width, int Height, string ContentType);

/// <summary>How an image is fitted to a model's input size.</summary>
public enum ResizeMode
{
    /// <summary>Scale so the image covers the target, then crop the centre.</summary>
    CenterCrop,

    /// <summary>Scale each axis independently to the target.</summary>
    Stretch,
}

/// <summary>A model's input.</summary>
/// <param name="Width">Input width.</param>
/// <param name="Height">Input height.</param>
/// <param name="Mode">How to fit the image.</param>
/// <param name="Mean">Per-channel mean (R, G, B) subtracted after scaling to 0..1.</param>
/// <param name="Std">Per-channel standard deviation (R, G, B) divided by.</param>
/// <param name="Bgr">Whether the model wants B, G, R channel order.</param>
public sealed record ModelInputSpec(int Width, int Height, ResizeMode Mode, float[] Mean, float[] Std, bool Bgr = false)
{
    /// <summary>ImageNet's mean.</summary>
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's standard deviation.</summary>
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>The number of floats one image fills.</summary>
    public int Length => 3 * Width * Height;
}
