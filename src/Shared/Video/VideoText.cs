using System.Text;
using System.Text.Json;

namespace ImageSocial.Shared.Video;

/// <summary>A video's facts as the one JSON text column (and cache field) that stores them: one nullable column keeps photos' rows as
/// they were and lets the facts grow without a migration per field.</summary>
/// <remarks>Shared source, compiled into the core (cache) and the SQL providers. Unknown members are ignored, missing ones default.</remarks>
internal static class VideoText
{
    internal static string Write(VideoInfo v)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("container", v.Container);
            w.WriteString("video", v.VideoCodec);
            if (v.AudioCodec is not null)
            {
                w.WriteString("audio", v.AudioCodec);
            }

            w.WriteString("pix", v.PixelFormat);
            w.WriteNumber("ms", v.DurationMs);
            w.WriteNumber("w", v.Width);
            w.WriteNumber("h", v.Height);
            w.WriteNumber("rot", v.Rotation);
            w.WriteNumber("fps", v.FrameRate);
            w.WriteNumber("bps", v.BitRate);
            w.WriteNumber("streams", v.StreamCount);
            if (v.CreatedAt is { } created)
            {
                w.WriteNumber("created", created.ToUnixTimeMilliseconds());
            }

            if (v.Latitude is { } lat && v.Longitude is { } lon)
            {
                w.WriteNumber("lat", lat);
                w.WriteNumber("lon", lon);
            }

            w.WriteString("status", v.Status.ToString().ToLowerInvariant());
            if (v.FailureReason is not null)
            {
                w.WriteString("reason", v.FailureReason);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal static VideoInfo Read(string text)
    {
        using var doc = JsonDocument.Parse(text);
        var o = doc.RootElement;
        return new VideoInfo
        {
            Container = Text(o, "container") ?? "",
            VideoCodec = Text(o, "video") ?? "",
            AudioCodec = Text(o, "audio"),
            PixelFormat = Text(o, "pix") ?? "",
            DurationMs = Number(o, "ms") is { } ms ? (long)ms : 0,
            Width = (int)(Number(o, "w") ?? 0),
            Height = (int)(Number(o, "h") ?? 0),
            Rotation = (int)(Number(o, "rot") ?? 0),
            FrameRate = Number(o, "fps") ?? 0,
            BitRate = (long)(Number(o, "bps") ?? 0),
            StreamCount = (int)(Number(o, "streams") ?? 0),
            CreatedAt = Number(o, "created") is { } created ? DateTimeOffset.FromUnixTimeMilliseconds((long)created) : null,
            Latitude = Number(o, "lat"),
            Longitude = Number(o, "lon"),
            Status = Text(o, "status") switch
            {
                "ready" => MediaStatus.Ready,
                "failed" => MediaStatus.Failed,
                _ => MediaStatus.Processing,
            },
            FailureReason = Text(o, "reason"),
        };
    }

    private static string? Text(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
