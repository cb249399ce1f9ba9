using System.Globalization;
using System.Runtime.InteropServices;
using ImageSocial.Imaging.Vips.Native;
using static ImageSocial.Imaging.Vips.Native.VipsNative;

namespace ImageSocial.Imaging.Vips;

/// <summary>Reads size, orientation and EXIF facts from a loaded header. libvips exposes EXIF tags as
/// <c>exif-ifdN-Tag</c> strings of the form <c>raw value (readable, Type, N components, M bytes)</c>.</summary>
internal static class ExifFacts
{
    internal static ImageInfo Read(VipsImageHandle image, string format)
    {
        var handle = image.DangerousGetHandle();
        var orientation = vips_image_get_typeof(handle, "orientation") != 0 && vips_image_get_int(handle, "orientation", out var o) == 0 && o is >= 1 and <= 8 ? o : 1;
        var pages = vips_image_get_n_pages(handle);
        return new ImageInfo(format, image.Width, image.Height, orientation, Math.Max(1, pages))
        {
            CameraMake = Clean(Raw(handle, "exif-ifd0-Make")),
            CameraModel = Clean(Raw(handle, "exif-ifd0-Model")),
            CapturedAt = ParseTime(Raw(handle, "exif-ifd2-DateTimeOriginal") ?? Raw(handle, "exif-ifd0-DateTime")),
            Latitude = ParseCoordinate(Raw(handle, "exif-ifd3-GPSLatitude"), Raw(handle, "exif-ifd3-GPSLatitudeRef"), 'S', 90),
            Longitude = ParseCoordinate(Raw(handle, "exif-ifd3-GPSLongitude"), Raw(handle, "exif-ifd3-GPSLongitudeRef"), 'W', 180),
        };
    }

    /// <summary>The raw part of an EXIF string field (before the parenthesised description), or <see langword="null"/>.</summary>
    private static string? Raw(nint image, string name)
    {
        if (vips_image_get_typeof(image, name) == 0 || vips_image_get_string(image, name, out var value) != 0 || value == 0)
        {
            return null;
        }

        var text = Marshal.PtrToStringUTF8(value);
        if (text is null)
        {
            return null;
        }

        var cut = text.IndexOf(" (", StringComparison.Ordinal);
        return (cut >= 0 ? text[..cut] : text).Trim();
    }

    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clean = new string(text.Where(c => !char.IsControl(c)).Take(128).ToArray()).Trim();
        return clean.Length == 0 ? null : clean;
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        text is not null && DateTime.TryParseExact(text.Trim(), "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;

    /// <summary>Degrees from "d/1 m/1 s/100" rationals and an N/S/E/W reference.</summary>
    private static double? ParseCoordinate(string? value, string? reference, char negative, double limit)
    {
        if (value is null)
        {
            return null;
        }

        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 3)
        {
            return null;
        }

        double degrees = 0, unit = 1;
        foreach (var part in parts)
        {
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0
                || !double.TryParse(part.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator)
                || !double.TryParse(part.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var denominator)
                || denominator == 0)
            {
                return null;
            }

            degrees += numerator / denominator / unit;
            unit *= 60;
        }

        if (reference is { Length: > 0 } && char.ToUpperInvariant(reference[0]) == negative)
        {
            degrees = -degrees;
        }

        return double.IsFinite(degrees) && Math.Abs(degrees) <= limit ? Math.Round(degrees, 7) : null;
    }
}
