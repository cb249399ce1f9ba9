
namespace ImageSocial.Testing.Servers;

/// <summary>Video clips for tests: real ones from Debian packages (fetched once per machine by <c>tools/real-clips.sh</c>, never
/// committed) and ones generated with ffmpeg's lavfi sources, plus hostile files made from them.</summary>
public static class Clips
{
    private static readonly Lazy<string> FolderPath = new(() => MachineTools.FolderFrom("IMAGESOCIAL_REAL_CLIPS", "real-clips.sh"));
    private static readonly Lazy<string> MadePath = new(() => Directory.CreateTempSubdirectory("imagesocial-clips-").FullName);

    /// <summary>The real clips' folder (<c>$IMAGESOCIAL_REAL_CLIPS</c>, or what <c>tools/real-clips.sh</c> fills on first use).</summary>
    public static string Folder => FolderPath.Value;

    /// <summary>A real clip by file name: <c>mp4.mp4</c>, <c>mov.mov</c>, <c>webm.webm</c>, <c>ogg.ogv</c>, <c>3gp.3gp</c>, <c>flv.flv</c>,
    /// <c>asf.asf</c>, <c>rmvb.rmvb</c>, <c>mkv.mkv</c> (one 5.6 s scene) or <c>vtest.avi</c> (80 s).</summary>
    public static string Real(string name) => Path.Combine(Folder, name);

    /// <summary>Makes a clip once per test run with ffmpeg (arguments after <c>-nostdin -v error</c>, ending before the output file).</summary>
    public static string Make(string name, params string[] arguments)
    {
        var path = Path.Combine(MadePath.Value, name);
        lock (MadePath)
        {
            if (!File.Exists(path))
            {
                MachineTools.Run("ffmpeg", ["-nostdin", "-v", "error", .. arguments, "-y", path + ".part" + Path.GetExtension(name)]);
                File.Move(path + ".part" + Path.GetExtension(name), path);
            }
        }

        return path;
    }

    /// <summary>Writes a file into the made clips' folder once.</summary>
    public static string Write(string name, byte[] content)
    {
        var path = Path.Combine(MadePath.Value, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>3 s of black, then 3 s of a test pattern (320×240, 25 fps, H.264 in MP4): a poster must come from the pattern.</summary>
    public static string BlackThenPattern => Make("black-then-pattern.mp4", "-f", "lavfi", "-i", "color=black:s=320x240:d=3:r=25", "-f", "lavfi", "-i",
        "testsrc=s=320x240:d=3:r=25", "-filter_complex", "[0][1]concat=n=2:v=1:a=0", "-c:v", "libx264", "-pix_fmt", "yuv420p");

    /// <summary>The real MP4 clip with a 90° display rotation, a location and a creation time in its metadata (streams copied).</summary>
    public static string RotatedWithLocation => Make("rotated.mp4", "-i", Real("mp4.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90",
        "-metadata", "location=+48.8584+002.2945/", "-metadata", "creation_time=2024-05-01T10:00:00Z");

    /// <summary>The real MP4 clip remuxed with a location in its metadata: H.264/AAC within 720 pixels, so it qualifies as it is.</summary>
    public static string QualifyingWithLocation => Make("qualifying.mp4", "-i", Real("mp4.mp4"), "-c", "copy", "-metadata", "location=+48.8584+002.2945/");

    /// <summary>A hostile file by name: <c>not-a-video</c>, <c>truncated</c>, <c>zero-length</c>, <c>playlist</c> (its URL on a closed
    /// loopback port), <c>concat</c>, <c>absurd-dimensions</c>, <c>many-streams</c> or <c>duration-bomb</c>.</summary>
    public static string Hostile(string name) => name switch
    {
        "not-a-video" => NotAVideo,
        "truncated" => TruncatedMp4,
        "zero-length" => ZeroLengthStreams,
        "playlist" => HlsPlaylist(new Uri("http://127.0.0.1:9/segment.ts")),
        "concat" => ConcatScript,
        "absurd-dimensions" => AbsurdDimensions,
        "many-streams" => ManyStreams,
        "duration-bomb" => DurationBomb,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a hostile clip's name"),
    };

    /// <summary>Text, not a video.</summary>
    public static string NotAVideo => Write("not-a-video.bin", System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is not a video. ", 200))));

    /// <summary>The real MP4 clip cut at 100 kB: its index (moov, at the end) is missing.</summary>
    public static string TruncatedMp4 => Write("truncated.mp4", File.ReadAllBytes(Real("mp4.mp4"))[..100_000]);

    /// <summary>An MP4 whose only stream was given zero frames (the muxer leaves no stream and no duration).</summary>
    public static string ZeroLengthStreams => Make("zero.mp4", "-f", "lavfi", "-i", "testsrc=d=1:s=32x32", "-frames:v", "0", "-c:v", "libx264");

    /// <summary>An HLS playlist whose segments are a local file (a real clip) and <paramref name="url"/>.</summary>
    public static string HlsPlaylist(Uri url) => Write("playlist.m3u8", System.Text.Encoding.UTF8.GetBytes(
        $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:5,\n{Real("mp4.mp4")}\n#EXTINF:5,\n{url}\n#EXT-X-ENDLIST\n"));

    /// <summary>An ffconcat script that names a local file (a real clip).</summary>
    public static string ConcatScript => Write("list.ffconcat", System.Text.Encoding.UTF8.GetBytes($"ffconcat version 1.0\nfile '{Real("mp4.mp4")}'\n"));

    /// <summary>A one-second raw-video AVI whose headers declare 20000×10000 pixels (the frames hold 16×16).</summary>
    public static string AbsurdDimensions
    {
        get
        {
            var avi = File.ReadAllBytes(Make("tiny.avi", "-f", "lavfi", "-i", "testsrc=s=16x16:d=1:r=1", "-c:v", "rawvideo", "-pix_fmt", "yuv420p"));
            var strf = avi.AsSpan().IndexOf("strf"u8);
            var avih = avi.AsSpan().IndexOf("avih"u8);
            BitConverter.TryWriteBytes(avi.AsSpan(strf + 12), 20000);
            BitConverter.TryWriteBytes(avi.AsSpan(strf + 16), 10000);
            BitConverter.TryWriteBytes(avi.AsSpan(avih + 40), 20000);
            BitConverter.TryWriteBytes(avi.AsSpan(avih + 44), 10000);
            return Write("absurd.avi", avi);
        }
    }

    /// <summary>A Matroska file with 999 streams (one video, 998 audio).</summary>
    public static string ManyStreams => Make("many.mkv", ["-f", "lavfi", "-i", "anullsrc=d=0.05:r=8000:cl=mono", "-f", "lavfi", "-i", "testsrc=d=0.2:s=32x32", "-map", "1:v",
        .. Enumerable.Repeat(new[] { "-map", "0:a" }, 998).SelectMany(x => x), "-c:a", "pcm_s16le", "-c:v", "mpeg4"]);

    /// <summary>Eleven minutes of 16×16 video at one frame per second: a small file over the default duration limit.</summary>
    public static string DurationBomb => Make("bomb.mp4", "-f", "lavfi", "-i", "testsrc=s=16x16:d=660:r=1", "-c:v", "libx264", "-pix_fmt", "yuv420p");
}
