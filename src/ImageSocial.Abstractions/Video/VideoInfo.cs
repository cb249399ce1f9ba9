namespace ImageSocial;

/// <summary>A video's facts, read by probing the upload, and the state of its web-playable rendition.</summary>
/// <remarks><see cref="CreatedAt"/>, <see cref="Latitude"/> and <see cref="Longitude"/> come from the container's metadata; they are
/// stored for the owner and never put into the web rendition (its metadata is stripped).</remarks>
public sealed record VideoInfo
{
    /// <summary>The container as the demuxer names it, e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c>, <c>matroska,webm</c>, <c>avi</c>.</summary>
    public required string Container { get; init; }

    /// <summary>The first video stream's codec, e.g. <c>h264</c>, <c>vp8</c>.</summary>
    public required string VideoCodec { get; init; }

    /// <summary>The first audio stream's codec, or <see langword="null"/> when there is no audio.</summary>
    public string? AudioCodec { get; init; }

    /// <summary>Whether there is an audio stream.</summary>
    public bool HasAudio => AudioCodec is not null;

    /// <summary>The first video stream's pixel format, e.g. <c>yuv420p</c>.</summary>
    public required string PixelFormat { get; init; }

    /// <summary>The duration in milliseconds.</summary>
    public required long DurationMs { get; init; }

    /// <summary>The width as displayed (after rotation).</summary>
    public required int Width { get; init; }

    /// <summary>The height as displayed (after rotation).</summary>
    public required int Height { get; init; }

    /// <summary>The rotation applied on display, in degrees: 0, 90, 180 or 270.</summary>
    public int Rotation { get; init; }

    /// <summary>Frames per second (the stream's average, or its nominal rate when the average is unknown).</summary>
    public required double FrameRate { get; init; }

    /// <summary>The overall bit rate in bits per second (0 when unknown).</summary>
    public long BitRate { get; init; }

    /// <summary>How many streams the container holds (video, audio, subtitles, data).</summary>
    public required int StreamCount { get; init; }

    /// <summary>The creation time from the container's metadata, when present.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The recording latitude in decimal degrees, when present.</summary>
    public double? Latitude { get; init; }

    /// <summary>The recording longitude in decimal degrees, when present.</summary>
    public double? Longitude { get; init; }

    /// <summary>Where the web-playable rendition stands.</summary>
    public MediaStatus Status { get; init; } = MediaStatus.Processing;

    /// <summary>Why processing failed, when <see cref="Status"/> is <see cref="MediaStatus.Failed"/>.</summary>
    public string? FailureReason { get; init; }
}
