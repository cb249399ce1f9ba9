namespace ImageSocial;

/// <summary>Tells an image upload from anything else by its first bytes, so that an upload of unknown kind can take the photo path (held
/// in memory, decoded by the image codec) or the video path (streamed to a file, probed by the video processor).</summary>
internal static class MediaSniffing
{
    /// <summary>How many leading bytes <see cref="IsImage"/> needs.</summary>
    internal const int HeadLength = 16;

    private static readonly string[] ImageBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"];

    /// <summary>Whether the bytes start like an image format the codecs accept (JPEG, PNG, GIF, WebP, TIFF, HEIF/AVIF).</summary>
    internal static bool IsImage(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
        || head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])
        || head.StartsWith("GIF8"u8)
        || (head.StartsWith("RIFF"u8) && head.Length >= 12 && head[8..12].SequenceEqual("WEBP"u8))
        || head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)
        || (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8) && ImageBrands.Contains(System.Text.Encoding.ASCII.GetString(head[8..12])));

    /// <summary>The MIME type of a video's original from its container.</summary>
    internal static string VideoContentType(VideoInfo video) => video.Container.Split(',')[0] switch
    {
        "mov" => "video/mp4",
        "matroska" => video.VideoCodec is "vp8" or "vp9" or "av1" ? "video/webm" : "video/x-matroska",
        "ogg" => "video/ogg",
        "flv" => "video/x-flv",
        "avi" => "video/x-msvideo",
        "asf" => "video/x-ms-asf",
        "rm" => "application/vnd.rn-realmedia",
        "mpegts" => "video/mp2t",
        _ => "application/octet-stream",
    };
}
