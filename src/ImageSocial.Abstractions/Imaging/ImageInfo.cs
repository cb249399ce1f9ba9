namespace ImageSocial;

/// <summary>Facts read from an image's header and EXIF without decoding its pixels.</summary>
/// <param name="Format">The container format, lower case: <c>jpeg</c>, <c>png</c>, <c>webp</c>, <c>gif</c>, <c>tiff</c>, <c>heif</c>.</param>
/// <param name="Width">The stored width in pixels (before EXIF orientation).</param>
/// <param name="Height">The stored height in pixels (before EXIF orientation).</param>
/// <param name="Orientation">The EXIF orientation, 1–8 (1 when absent).</param>
/// <param name="FrameCount">The number of frames or pages.</param>
public sealed record ImageInfo(string Format, int Width, int Height, int Orientation, int FrameCount)
{
    /// <summary>The width as displayed, after EXIF orientation.</summary>
    public int DisplayWidth => Orientation >= 5 ? Height : Width;

    /// <summary>The height as displayed, after EXIF orientation.</summary>
    public int DisplayHeight => Orientation >= 5 ? Width : Height;

    /// <summary>The EXIF capture time (DateTimeOriginal), when present; its zone is unknown, so it is given as UTC.</summary>
    public DateTimeOffset? CapturedAt { get; init; }

    /// <summary>The GPS latitude in decimal degrees (south negative), when present.</summary>
    public double? Latitude { get; init; }

    /// <summary>The GPS longitude in decimal degrees (west negative), when present.</summary>
    public double? Longitude { get; init; }

    /// <summary>The camera make, when present.</summary>
    public string? CameraMake { get; init; }

    /// <summary>The camera model, when present.</summary>
    public string? CameraModel { get; init; }

    /// <summary>The MIME type of the format.</summary>
    public string ContentType => Format switch
    {
        "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "tiff" => "image/tiff",
        "heif" => "image/heif",
        _ => "application/octet-stream",
    };
}
