using System.ComponentModel.DataAnnotations;

namespace ImageSocial;

/// <summary>Limits on uploaded videos (<c>ImageSocial:Video</c>), checked while the upload streams in and on its probed facts, and the size
/// of the web-playable rendition. Videos are accepted when an <see cref="IVideoProcessor"/> is registered.</summary>
public sealed class VideoOptions
{
    /// <summary>The largest video upload in bytes. Default 500 MiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 500L * 1024 * 1024;

    /// <summary>The longest video. Default 10 minutes.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most pixels in a frame. Default 3840×2160 (4K UHD).</summary>
    [Range(1, int.MaxValue)]
    public int MaxPixels { get; set; } = 3840 * 2160;

    /// <summary>The highest frame rate. Default 120.</summary>
    [Range(1, 1000)]
    public double MaxFrameRate { get; set; } = 120;

    /// <summary>The most streams in the container (video, audio, subtitles, data). Default 16.</summary>
    [Range(1, 64)]
    public int MaxStreams { get; set; } = 16;

    /// <summary>The longest edge of the web-playable rendition in pixels. Default 720.</summary>
    [Range(144, 4320)]
    public int MaxVideoEdge { get; set; } = 720;

    /// <summary>Where uploads and renditions are staged while they are probed and converted; <see langword="null"/> (the default) for a
    /// folder under the system's temporary directory. Each file is private to the process and deleted when its work ends.</summary>
    public string? WorkDirectory { get; set; }
}
