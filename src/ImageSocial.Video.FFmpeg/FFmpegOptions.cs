using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Video.FFmpeg;

/// <summary>Options of the FFmpeg video processor (<c>ImageSocial:FFmpeg</c>).</summary>
public sealed class FFmpegOptions
{
    /// <summary>The ffmpeg executable: a path, or a name looked up on <c>PATH</c>. Default <c>ffmpeg</c>.</summary>
    [Required]
    public string FFmpegPath { get; set; } = "ffmpeg";

    /// <summary>The ffprobe executable: a path, or a name looked up on <c>PATH</c>. Default <c>ffprobe</c>.</summary>
    [Required]
    public string FFprobePath { get; set; } = "ffprobe";

    /// <summary>The demuxers an input may be read with (ffmpeg's <c>-format_whitelist</c>): MP4/MOV/3GP, Matroska/WebM, Ogg, FLV, AVI,
    /// ASF/WMV, RealMedia and MPEG-TS. Playlists (HLS, DASH), concatenation scripts, image sequences and raw formats are never accepted.</summary>
    [Required]
    public string Demuxers { get; set; } = "mov,matroska,ogg,flv,avi,asf,rm,mpegts";

    /// <summary>The most streams a demuxer may open before it gives up (<c>-max_streams</c>); the core's limit applies after the probe.
    /// Default 64.</summary>
    [Range(1, 1000)]
    public int MaxStreams { get; set; } = 64;

    /// <summary>How long a probe may run. Default 30 seconds.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long extracting a poster frame may run. Default 60 seconds.</summary>
    public TimeSpan PosterTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long making a web-playable rendition may run. Default 30 minutes.</summary>
    public TimeSpan RenditionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The x264 preset of the rendition. Default <c>veryfast</c>.</summary>
    [Required]
    [RegularExpression("^(ultrafast|superfast|veryfast|faster|fast|medium|slow|slower|veryslow)$")]
    public string Preset { get; set; } = "veryfast";

    /// <summary>The x264 constant rate factor of the rendition (lower is better and larger). Default 23.</summary>
    [Range(0, 51)]
    public int Crf { get; set; } = 23;

    /// <summary>The AAC bit rate of the rendition in kbit/s. Default 128.</summary>
    [Range(32, 512)]
    public int AudioKbps { get; set; } = 128;

    /// <summary>How many renditions this process makes at once; the rest wait. Default 1.</summary>
    [Range(1, 64)]
    public int MaxConcurrentRenditions { get; set; } = 1;

    /// <summary>The niceness every run starts with (0–19; higher yields more CPU to the host's requests). Default 10.</summary>
    [Range(0, 19)]
    public int Niceness { get; set; } = 10;
}
