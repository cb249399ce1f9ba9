using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Imaging.Vips;

/// <summary>Limits and encoder settings of <see cref="VipsImageCodec"/>.</summary>
public sealed class VipsCodecOptions
{
    /// <summary>The largest encoded input in bytes. Default 50 MiB.</summary>
    [Range(1, int.MaxValue)]
    public int MaxEncodedBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>The largest pixel count (width × height) an input may claim; stops decompression bombs before decoding. Default 100 million.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>The most frames or pages an input may have (animated GIF/WebP, multi-page TIFF). Default 500.</summary>
    [Range(1, 100_000)]
    public int MaxFrames { get; set; } = 500;

    /// <summary>The most scans a JPEG may have: a progressive JPEG is decoded once per scan, so its cost grows with this, not with its size
    /// or pixels. Encoders write about 10. Default 100.</summary>
    [Range(1, 10_000)]
    public int MaxJpegScans { get; set; } = 100;

    /// <summary>The format renditions are encoded in. Default <see cref="RenditionFormat.Jpeg"/>.</summary>
    public RenditionFormat RenditionFormat { get; set; } = RenditionFormat.Jpeg;

    /// <summary>The encoder quality, 1–100. Default 82.</summary>
    [Range(1, 100)]
    public int Quality { get; set; } = 82;
}
