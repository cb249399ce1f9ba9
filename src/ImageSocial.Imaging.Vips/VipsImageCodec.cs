using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NetVips;

namespace ImageSocial.Imaging.Vips;

/// <summary><see cref="IImageCodec"/> over libvips (through NetVips): shrink-on-load decoding, EXIF auto-rotation, limits checked from
/// the header before any pixel is decoded.</summary>
/// <remarks>Thread-safe. Only JPEG, PNG, WebP, GIF, TIFF and HEIF/AVIF loaders ever see the bytes: the loader libvips would pick is
/// checked against that list before anything is loaded, so loaders for other formats (SVG, and in other builds of libvips ImageMagick,
/// PDF, OpenSlide) are never reached.</remarks>
public sealed class VipsImageCodec : IImageCodec
{
    /// <summary>Reaches the loader thumbnail runs: its own fail-on setting does not stop a truncated JPEG (libvips 8.18, checked).</summary>
    private const string LoadOptions = "fail_on=error";

    private readonly VipsCodecOptions options;

    /// <summary>Creates the codec.</summary>
    /// <param name="options">Limits and encoder settings.</param>
    /// <param name="loggerFactory">Receives libvips's own warnings (category <c>ImageSocial.Imaging.Vips</c>) instead of stderr.</param>
    /// <exception cref="ImageSocialException">libvips cannot be loaded.</exception>
    public VipsImageCodec(IOptions<VipsCodecOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        VipsRuntime.EnsureInitialized();
        if (loggerFactory is not null)
        {
            VipsLog.Attach(loggerFactory.CreateLogger(CodecTelemetry.Name));
        }
    }

    /// <summary>Creates the codec with default options.</summary>
    public VipsImageCodec() : this(Options.Create(new VipsCodecOptions()))
    {
    }

    /// <inheritdoc />
    public ImageInfo Probe(ReadOnlyMemory<byte> data)
    {
        using var scope = CodecTelemetry.Begin("Probe");
        try
        {
            using var image = Open(Bytes(data), out var info);
            return info;
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<EncodedRendition> CreateRenditions(ReadOnlyMemory<byte> data, IReadOnlyList<RenditionSpec> renditions, CancellationToken cancellationToken = default)
    {
        using var scope = CodecTelemetry.Begin("CreateRenditions");
        try
        {
            var result = MakeRenditions(Bytes(data), renditions, cancellationToken);
            foreach (var rendition in result)
            {
                CodecTelemetry.CountRendition(rendition.Kind);
            }

            return result;
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
    }

    /// <inheritdoc />
    public void GetModelInput(ReadOnlyMemory<byte> data, ModelInputSpec spec, Span<float> destination)
    {
        using var scope = CodecTelemetry.Begin("GetModelInput");
        try
        {
            WriteModelInput(Bytes(data), spec, destination);
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
    }

    /// <summary>The bytes and allocations libvips is tracking now; for leak checks.</summary>
    internal static (long Bytes, int Allocations) TrackedMemory()
    {
        VipsRuntime.EnsureInitialized();
        return (Stats.Mem, Stats.Allocations);
    }

    private EncodedRendition[] MakeRenditions(byte[] data, IReadOnlyList<RenditionSpec> renditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renditions);
        if (renditions.Count == 0)
        {
            return [];
        }

        using (Open(data, out _))
        {
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Decode once, shrinking on load to the largest size asked for; smaller renditions come from that in memory.
        var largest = renditions.Max(r => r.Size);
        using var decoded = Run("CreateRenditions", () =>
        {
            using var thumbnail = Image.ThumbnailBuffer(data, largest, optionString: LoadOptions, height: largest, size: Enums.Size.Down, failOn: Enums.FailOn.Error);
            using var flat = Flatten(thumbnail);
            return flat.CopyMemory(); // decode errors surface here, once
        });

        var result = new EncodedRendition[renditions.Count];
        for (var i = 0; i < renditions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var spec = renditions[i];
            ArgumentOutOfRangeException.ThrowIfLessThan(spec.Size, 1, nameof(renditions));
            result[i] = Run("CreateRenditions", () =>
            {
                if (!spec.SquareCrop && spec.Size == largest)
                {
                    return Encode(spec.Kind, decoded);
                }

                using var resized = decoded.ThumbnailImage(spec.Size, height: spec.Size, size: spec.SquareCrop ? Enums.Size.Both : Enums.Size.Down,
                    crop: spec.SquareCrop ? Enums.Interesting.Centre : Enums.Interesting.None);
                return Encode(spec.Kind, resized);
            });
        }

        return result;
    }

    private void WriteModelInput(byte[] data, ModelInputSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, spec.Length, nameof(destination));
        ImageInfo info;
        using (Open(data, out info))
        {
        }

        var pixels = Run("GetModelInput", () =>
        {
            using var thumbnail = info.Format == "jpeg" && JpegShrink(info, spec) is > 1 and var shrink
                ? ModelThumbnail(Image.JpegloadBuffer(data, shrink: shrink, failOn: Enums.FailOn.Error), spec)
                : spec.Mode == ResizeMode.Stretch
                    ? Image.ThumbnailBuffer(data, spec.Width, optionString: LoadOptions, height: spec.Height, size: Enums.Size.Force, failOn: Enums.FailOn.Error)
                    : Image.ThumbnailBuffer(data, spec.Width, optionString: LoadOptions, height: spec.Height, crop: Enums.Interesting.Centre, failOn: Enums.FailOn.Error);
            using var rgb = ToRgb8(thumbnail);
            if (rgb.Width != spec.Width || rgb.Height != spec.Height)
            {
                throw new VipsException($"libvips made {rgb.Width}×{rgb.Height} for a {spec.Width}×{spec.Height} model input.");
            }

            return rgb.WriteToMemory<byte>();
        });

        PixelPlanes.Normalize(pixels, spec, destination);
    }

    /// <summary>Opens the header and enforces the limits. Nothing past the header is decoded.</summary>
    private Image Open(byte[] data, out ImageInfo info)
    {
        if (data.Length > options.MaxEncodedBytes)
        {
            throw new InputTooLargeException($"The image is {data.Length} bytes; the limit is {options.MaxEncodedBytes}.");
        }

        if (data.Length < 8)
        {
            throw new UnsupportedImageFormatException("The data is too short to be an image.");
        }

        var loader = Image.FindLoadBuffer(data)
            ?? throw new UnsupportedImageFormatException("The data is not an image in an accepted format (JPEG, PNG, WebP, GIF, TIFF, HEIF).");
        var format = FormatOf(loader) ?? throw new UnsupportedImageFormatException($"The image format ({loader}) is not accepted.");
        if (format == "jpeg" && JpegScans.Count(data, options.MaxJpegScans) is var scans && scans > options.MaxJpegScans)
        {
            throw new ImageDecodeException($"The JPEG has more than {options.MaxJpegScans} scans; each costs a pass over the whole image, so it is refused (encoders write about 10).");
        }

        var image = Run("Probe", () => Image.NewFromBuffer(data, failOn: Enums.FailOn.Error));
        try
        {
            info = ExifFacts.Read(image, format);
            if ((long)info.Width * info.Height > options.MaxPixels)
            {
                throw new InputTooLargeException($"The image claims {info.Width}×{info.Height} pixels; the limit is {options.MaxPixels} pixels.");
            }

            if (info.FrameCount > options.MaxFrames)
            {
                throw new InputTooLargeException($"The image has {info.FrameCount} frames; the limit is {options.MaxFrames}.");
            }

            if (format == "heif")
            {
                EnsureDecodable(image);
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>HEIF carries different codecs, and a libvips build may lack one: NetVips.Native reads a HEIC's header but has no HEVC
    /// decoder (it is built without patented codecs), so without this check a phone's HEIC would pass the probe and fail to decode
    /// later as a damaged file. Each compression is tried once per process on one pixel (one tile decoded) and remembered.</summary>
    private static void EnsureDecodable(Image image)
    {
        var compression = image.GetTypeOf("heif-compression") != IntPtr.Zero ? image.Get("heif-compression") as string ?? "" : "";
        if (HeifDecodes.TryGetValue(compression, out var decodes))
        {
            if (decodes)
            {
                return;
            }

            throw NotBuiltIn(compression);
        }

        // Any other decode failure becomes the usual ImageDecodeException through Run.
        HeifDecodes[compression] = Run("Probe", () =>
        {
            try
            {
                using var pixel = image.ExtractArea(0, 0, 1, 1);
                _ = pixel.Avg();
                return true;
            }
            catch (VipsException ex) when (ex.Message.Contains("has not been built in", StringComparison.Ordinal))
            {
                HeifDecodes[compression] = false;
                throw NotBuiltIn(compression);
            }
        });
    }

    private static UnsupportedImageFormatException NotBuiltIn(string compression) =>
        new($"HEIF images compressed with {compression.ToUpperInvariant()} cannot be decoded by this build of libvips (NetVips.Native has no " +
            "HEVC decoder, so HEIC photos from phones are refused); upload JPEG, PNG, WebP or AVIF.");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> HeifDecodes = new(StringComparer.Ordinal);

    /// <summary>The array behind the memory when it is a whole array (uploads are), else a copy: NetVips takes arrays.</summary>
    private static byte[] Bytes(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : data.ToArray();

    /// <summary>The JPEG DCT scaling for a model input: the largest of 8, 4 and 2 that keeps both sides at least 85 % of the target, so a
    /// 1080-pixel photo decodes at a quarter of its area for a 224 input (the small upscale is invisible to a model; the full decode
    /// that thumbnail's own rule asks for costs twice as much).</summary>
    private static int JpegShrink(ImageInfo info, ModelInputSpec spec)
    {
        var room = Math.Min((double)info.Width / spec.Width, (double)info.Height / spec.Height);
        return room >= 8 / 0.85 ? 8 : room >= 4 / 0.85 ? 4 : room >= 2 / 0.85 ? 2 : 1;
    }

    private static Image ModelThumbnail(Image decoded, ModelInputSpec spec)
    {
        using (decoded)
        {
            return spec.Mode == ResizeMode.Stretch
                ? decoded.ThumbnailImage(spec.Width, height: spec.Height, size: Enums.Size.Force)
                : decoded.ThumbnailImage(spec.Width, height: spec.Height, crop: Enums.Interesting.Centre);
        }
    }

    /// <summary>Drops alpha onto white (JPEG has none); returns a new reference either way.</summary>
    private static Image Flatten(Image image) => image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image.Copy();

    private static Image ToRgb8(Image image)
    {
        using var flat = Flatten(image);
        using var srgb = flat.Colourspace(Enums.Interpretation.Srgb);
        using var three = srgb.Bands > 3 ? srgb.ExtractBand(0, n: 3) : srgb.Copy();
        return three.Cast(Enums.BandFormat.Uchar);
    }

    private EncodedRendition Encode(RenditionKind kind, Image image)
    {
        var webp = options.RenditionFormat == RenditionFormat.WebP;
        var bytes = webp
            ? image.WebpsaveBuffer(q: options.Quality, keep: Enums.ForeignKeep.None)
            : image.JpegsaveBuffer(q: options.Quality, keep: Enums.ForeignKeep.None);
        return new EncodedRendition(kind, bytes, image.Width, image.Height, webp ? "image/webp" : "image/jpeg");
    }

    private static T Run<T>(string operation, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (VipsException ex)
        {
            throw new ImageDecodeException("The image cannot be decoded: " + ex.Message, ex)
            {
                ProviderName = "libvips",
                OperationName = operation,
            };
        }
    }

    /// <summary>Our format name for a loader class (<c>VipsForeignLoadJpegBuffer</c>, …), or <see langword="null"/> for one not accepted.</summary>
    private static string? FormatOf(string loader) => loader switch
    {
        _ when loader.Contains("Jpeg", StringComparison.Ordinal) && !loader.Contains("Jp2k", StringComparison.Ordinal) => "jpeg",
        _ when loader.Contains("Png", StringComparison.Ordinal) => "png",
        _ when loader.Contains("Webp", StringComparison.Ordinal) => "webp",
        _ when loader.Contains("Gif", StringComparison.OrdinalIgnoreCase) => "gif",
        _ when loader.Contains("Tiff", StringComparison.Ordinal) => "tiff",
        _ when loader.Contains("Heif", StringComparison.Ordinal) => "heif",
        _ => null,
    };
}
