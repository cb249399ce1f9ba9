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
