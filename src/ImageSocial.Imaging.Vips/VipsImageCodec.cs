using System.Runtime.InteropServices;
using ImageSocial.Imaging.Vips.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ImageSocial.Imaging.Vips.Native.VipsNative;

namespace ImageSocial.Imaging.Vips;

/// <summary><see cref="IImageCodec"/> over libvips: shrink-on-load decoding, EXIF auto-rotation, limits checked from the header before any pixel is decoded.</summary>
/// <remarks>Thread-safe. Loaders libvips marks untrusted (ImageMagick, PDF, SVG, …) are blocked; only JPEG, PNG, WebP, GIF, TIFF and HEIF/AVIF are accepted.</remarks>
public sealed unsafe class VipsImageCodec : IImageCodec
{
    private readonly VipsCodecOptions options;

    /// <summary>Creates the codec.</summary>
    /// <param name="options">Limits and encoder settings.</param>
    /// <param name="loggerFactory">Receives libvips's own warnings (category <c>ImageSocial.Imaging.Vips</c>) instead of stderr.</param>
    /// <exception cref="ImageSocialException">libvips is not installed.</exception>
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
            using var image = Open(data, out var info);
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
            var result = MakeRenditions(data, renditions, cancellationToken);
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
            WriteModelInput(data, spec, destination);
        }
        catch (Exception ex)
        {
            scope.Fail(ex);
            throw;
        }
    }

    private EncodedRendition[] MakeRenditions(ReadOnlyMemory<byte> data, IReadOnlyList<RenditionSpec> renditions, CancellationToken cancellationToken)
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
            using var thumbnail = Thumbnail(data, largest, largest, ("size", "down"));
            return Materialize(Flatten(thumbnail));
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

                using var resized = VipsOperation.Apply("thumbnail_image", decoded,
                    ("width", Text(spec.Size)), ("height", Text(spec.Size)),
                    ("crop", spec.SquareCrop ? "centre" : "none"), ("size", spec.SquareCrop ? "both" : "down"));
                return Encode(spec.Kind, resized);
            });
        }

        return result;
    }

    private void WriteModelInput(ReadOnlyMemory<byte> data, ModelInputSpec spec, Span<float> destination)
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
                ? ModelThumbnail(LoadJpeg(data, shrink), spec)
                : spec.Mode == ResizeMode.Stretch
                    ? Thumbnail(data, spec.Width, spec.Height, ("size", "force"))
                    : Thumbnail(data, spec.Width, spec.Height, ("crop", "centre"));
            using var rgb = ToRgb8(thumbnail);
            if (rgb.Width != spec.Width || rgb.Height != spec.Height)
            {
                throw new VipsException($"libvips made {rgb.Width}×{rgb.Height} for a {spec.Width}×{spec.Height} model input.");
            }

            var memory = vips_image_write_to_memory(rgb.DangerousGetHandle(), out var size);
            if (memory == null)
            {
                throw new VipsException(VipsOperation.TakeError());
            }

            try
            {
                return new ReadOnlySpan<byte>(memory, checked((int)size)).ToArray();
            }
            finally
            {
                g_free(memory);
            }
        });

        PixelPlanes.Normalize(pixels, spec, destination);
    }

    /// <summary>The bytes and allocations libvips is tracking now; for leak checks.</summary>
    internal static (long Bytes, int Allocations) TrackedMemory()
    {
        VipsRuntime.EnsureInitialized();
        return ((long)vips_tracked_get_mem(), vips_tracked_get_allocs());
    }

    /// <summary>Opens the header and enforces the limits. Nothing past the header is decoded.</summary>
    private VipsImageHandle Open(ReadOnlyMemory<byte> data, out ImageInfo info)
    {
        if (data.Length > options.MaxEncodedBytes)
        {
            throw new InputTooLargeException($"The image is {data.Length} bytes; the limit is {options.MaxEncodedBytes}.");
        }

        if (data.Length < 8)
        {
            throw new UnsupportedImageFormatException("The data is too short to be an image.");
        }

        string loader;
        fixed (byte* bytes = data.Span)
        {
            var name = vips_foreign_find_load_buffer(bytes, (nuint)data.Length);
            if (name == 0)
            {
                vips_error_clear();
                throw new UnsupportedImageFormatException("The data is not an image in an accepted format (JPEG, PNG, WebP, GIF, TIFF, HEIF).");
            }

            loader = Marshal.PtrToStringUTF8(name)!;
        }

        var format = FormatOf(loader) ?? throw new UnsupportedImageFormatException($"The image format ({loader}) is not accepted.");
        if (format == "jpeg" && JpegScans.Count(data.Span, options.MaxJpegScans) is var scans && scans > options.MaxJpegScans)
        {
            throw new ImageDecodeException($"The JPEG has more than {options.MaxJpegScans} scans; each costs a pass over the whole image, so it is refused (encoders write about 10).");
        }

        var image = Run("Probe", () =>
        {
            using var load = new VipsOperation(loader);
            load.Set("buffer", data.Span);
            load.Set("fail-on", "error");
            load.Build();
            return load.GetImage("out");
        });

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

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static VipsImageHandle Thumbnail(ReadOnlyMemory<byte> data, int width, int height, params (string Name, string Value)[] extra)
    {
        using var operation = new VipsOperation("thumbnail_buffer");
        operation.Set("buffer", data.Span);
        operation.Set("width", width);
        operation.Set("height", height);
        operation.Set("fail-on", "error");

        // libvips 8.14 does not forward fail-on from thumbnail_buffer to the loader; the loader's option string does reach it.
        operation.Set("option-string", "fail_on=error");
        foreach (var (name, value) in extra)
        {
            operation.Set(name, value);
        }

        operation.Build();
        return operation.GetImage("out");
    }

    /// <summary>The JPEG DCT scaling for a model input: the largest of 8, 4 and 2 that keeps both sides at least 85 % of the target, so a
    /// 1080-pixel photo decodes at a quarter of its area for a 224 input (the small upscale is invisible to a model; the full decode
    /// that thumbnail's own rule asks for costs twice as much).</summary>
    private static int JpegShrink(ImageInfo info, ModelInputSpec spec)
    {
        var room = Math.Min((double)info.Width / spec.Width, (double)info.Height / spec.Height);
        return room >= 8 / 0.85 ? 8 : room >= 4 / 0.85 ? 4 : room >= 2 / 0.85 ? 2 : 1;
    }

    private static VipsImageHandle LoadJpeg(ReadOnlyMemory<byte> data, int shrink)
    {
        using var load = new VipsOperation("jpegload_buffer");
        load.Set("buffer", data.Span);
        load.Set("shrink", shrink);
        load.Set("fail-on", "error");
        load.Build();
        return load.GetImage("out");
    }

    private static VipsImageHandle ModelThumbnail(VipsImageHandle decoded, ModelInputSpec spec)
    {
        using (decoded)
        {
            return VipsOperation.Apply("thumbnail_image", decoded, ("width", Text(spec.Width)), ("height", Text(spec.Height)),
                spec.Mode == ResizeMode.Stretch ? ("size", "force") : ("crop", "centre"));
        }
    }

    /// <summary>Renders the lazy pipeline into memory; decode errors surface here.</summary>
    private static VipsImageHandle Materialize(VipsImageHandle image)
    {
        using (image)
        {
            var copy = vips_image_copy_memory(image.DangerousGetHandle());
            return copy == 0 ? throw new VipsException(VipsOperation.TakeError()) : new VipsImageHandle(copy);
        }
    }

    /// <summary>Drops alpha onto white (JPEG has none); returns a new reference either way.</summary>
    private static VipsImageHandle Flatten(VipsImageHandle image) =>
        image.HasAlpha
            ? VipsOperation.Apply("flatten", image, ("background", "255 255 255"))
            : VipsOperation.Apply("copy", image);

    private static VipsImageHandle ToRgb8(VipsImageHandle image)
    {
        using var flat = Flatten(image);
        using var srgb = VipsOperation.Apply("colourspace", flat, ("space", "srgb"));
        using var three = srgb.Bands > 3 ? VipsOperation.Apply("extract_band", srgb, ("band", "0"), ("n", "3")) : VipsOperation.Apply("copy", srgb);
        return VipsOperation.Apply("cast", three, ("format", "uchar"));
    }

    private EncodedRendition Encode(RenditionKind kind, VipsImageHandle image)
    {
        var webp = options.RenditionFormat == RenditionFormat.WebP;
        using var save = new VipsOperation(webp ? "webpsave_buffer" : "jpegsave_buffer");
        save.Set("in", image);
        save.Set("Q", options.Quality);
        save.Set("strip", "true");
        save.Build();
        return new EncodedRendition(kind, save.GetBlob("buffer"), image.Width, image.Height, webp ? "image/webp" : "image/jpeg");
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

    private static string? FormatOf(string loader) => loader switch
    {
        _ when loader.Contains("Jpeg", StringComparison.Ordinal) && !loader.Contains("Jp2k", StringComparison.Ordinal) => "jpeg",
        _ when loader.Contains("Png", StringComparison.Ordinal) => "png",
        _ when loader.Contains("Webp", StringComparison.Ordinal) => "webp",
        _ when loader.Contains("gif", StringComparison.OrdinalIgnoreCase) => "gif",
        _ when loader.Contains("Tiff", StringComparison.Ordinal) => "tiff",
        _ when loader.Contains("Heif", StringComparison.Ordinal) => "heif",
        _ => null,
    };

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
