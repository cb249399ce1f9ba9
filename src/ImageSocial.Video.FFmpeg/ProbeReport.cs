using System.Globalization;
using System.Text.Json;

namespace ImageSocial.Video.FFmpeg;

/// <summary>Reads ffprobe's JSON report (<c>-show_format -show_streams -of json</c>) into <see cref="VideoInfo"/>.</summary>
internal static class ProbeReport
{
    internal static VideoInfo Read(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var streams = root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToList() : [];
        // Cover art (an attached picture) is a video stream too; the first one that is not is the video.
        var video = streams.FirstOrDefault(x => Text(x, "codec_type") == "video" && !IsAttachedPicture(x));
        if (video.ValueKind != JsonValueKind.Object)
        {
            throw new UnsupportedVideoException("The upload has no video stream.");
        }

        var audio = streams.FirstOrDefault(x => Text(x, "codec_type") == "audio");
        var rotation = Rotation(video);
        var (width, height) = (Int(video, "width"), Int(video, "height"));
        if (rotation % 180 == 90)
        {
            (width, height) = (height, width);
        }

        var tags = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("tags", out var t) ? t : default;
        var (latitude, longitude) = Location(Tag(tags, "location") ?? Tag(tags, "com.apple.quicktime.location.ISO6709"));
        var seconds = Seconds(format, "duration") ?? Seconds(video, "duration") ?? 0;
        return new VideoInfo
        {
            Container = Text(format, "format_name") ?? "",
            VideoCodec = Text(video, "codec_name") ?? "unknown",
            AudioCodec = audio.ValueKind == JsonValueKind.Object ? Text(audio, "codec_name") ?? "unknown" : null,
            PixelFormat = Text(video, "pix_fmt") ?? "",
            DurationMs = (long)Math.Round(seconds * 1000),
            Width = width,
            Height = height,
            Rotation = rotation,
            FrameRate = Rate(Text(video, "avg_frame_rate")) ?? Rate(Text(video, "r_frame_rate")) ?? 0,
            BitRate = long.TryParse(Text(format, "bit_rate"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bps) ? bps : 0,
            StreamCount = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("nb_streams", out var n) && n.TryGetInt32(out var count) ? count : streams.Count,
            CreatedAt = DateTimeOffset.TryParse(Tag(tags, "creation_time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : null,
            Latitude = latitude,
            Longitude = longitude,
        };
    }

    /// <summary>The display rotation in degrees, 0–359, from the display matrix (or the older <c>rotate</c> tag).</summary>
    private static int Rotation(JsonElement video)
    {
        double degrees = 0;
        if (video.TryGetProperty("side_data_list", out var side) && side.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in side.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var r) && r.TryGetDouble(out var value))
                {
                    degrees = value;
                }
            }
        }
        else if (video.TryGetProperty("tags", out var tags) && double.TryParse(Tag(tags, "rotate"), NumberStyles.Float, CultureInfo.InvariantCulture, out var tagged))
        {
            degrees = tagged;
        }

        var quarter = (int)Math.Round(degrees / 90) * 90;
        return ((quarter % 360) + 360) % 360;
    }

    /// <summary>An ISO 6709 point such as <c>+48.8584+002.2945/</c> or <c>+48.8584+002.2945+035.000/</c>.</summary>
    internal static (double? Latitude, double? Longitude) Location(string? iso6709)
    {
        if (string.IsNullOrEmpty(iso6709))
        {
            return (null, null);
        }

        var signs = new List<int>();
        for (var i = 0; i < iso6709.Length; i++)
        {
            if (iso6709[i] is '+' or '-')
            {
                signs.Add(i);
            }
        }

        if (signs.Count < 2 || signs[0] != 0)
        {
            return (null, null);
        }

        var end = signs.Count > 2 ? signs[2] : iso6709.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? slash : iso6709.Length;
        return double.TryParse(iso6709[..signs[1]], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(iso6709[signs[1]..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            && Math.Abs(lat) <= 90 && Math.Abs(lon) <= 180
            ? (lat, lon)
            : (null, null);
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.TryGetInt32(out var v) && v == 1;

    private static double? Rate(string? fraction)
    {
        var parts = fraction?.Split('/');
        return parts is [var num, var den]
            && double.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(den, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && n > 0
            ? n / d
            : null;
    }

    private static double? Seconds(JsonElement o, string name) =>
        double.TryParse(Text(o, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0 ? value : null;

    private static int Int(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : 0;

    private static string? Text(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Tag(JsonElement tags, string name) => Text(tags, name);
}
