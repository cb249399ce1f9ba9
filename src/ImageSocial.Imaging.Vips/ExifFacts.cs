using System.Globalization;
using NetVips;

namespace ImageSocial.Imaging.Vips;

/// <summary>Reads size, orientation and EXIF facts from a loaded header. libvips exposes EXIF tags as
/// <c>exif-ifdN-Tag</c> strings of the form <c>raw value (readable, Type, N components, M bytes)</c>.</summary>
internal static class ExifFacts
{
    internal static ImageInfo Read(Image image, string format)
    {
        var orientation = image.GetTypeOf("orientation") != IntPtr.Zero && image.Get("orientation") is int o && o is >= 1 and <= 8 ? o : 1;
        var pages = image.GetTypeOf("n-pages") != IntPtr.Zero && image.Get("n-pages") is int n ? n : 1;
        return new ImageInfo(format, image.Width, image.Height, orientation, Math.Max(1, pages))
        {
            CameraMake = Clean(Raw(image, "exif-ifd0-Make")),
            CameraModel = Clean(Raw(image, "exif-ifd0-Model")),
            CapturedAt = ParseTime(Raw(image, "exif-ifd2-DateTimeOriginal") ?? Raw(image, "exif-ifd0-DateTime")),
            Latitude = ParseCoordinate(Raw(image, "exif-ifd3-GPSLatitude"), Raw(image, "exif-ifd3-GPSLatitudeRef"), 'S', 90),
            Longitude = ParseCoordinate(Raw(image, "exif-ifd3-GPSLongitude"), Raw(image, "exif-ifd3-GPSLongitudeRef"), 'W', 180),
        };
    }

    /// <summary>The raw part of an EXIF string field (before the parenthesised description), or <see langword="null"/>.</summary>
    private static string? Raw(Image image, string name)
    {
        if (image.GetTypeOf(name) == IntPtr.Zero || image.Get(name) is not string text)
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
