namespace ImageSocial;

/// <summary>Reads, frames and converts videos held in local files (the core copies an upload to a private temporary file first).</summary>
/// <remarks>Implementations must treat every input as hostile: read nothing but <c>input</c> (no playlists, concatenation scripts,
/// external references or network), bound every run in time and refuse inputs over their limits with typed errors.</remarks>
public interface IVideoProcessor
{
    /// <summary>Reads a video's facts without decoding it.</summary>
    /// <param name="input">The video file.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="UnsupportedVideoException">The file is not a video in an accepted container.</exception>
    /// <exception cref="VideoDecodeException">The file claims an accepted container but cannot be read (truncated, corrupt, no frames).</exception>
    Task<VideoInfo> ProbeAsync(string input, CancellationToken cancellationToken = default);

    /// <summary>A representative frame, skipping black and blank frames, encoded as PNG at the display size (long edge at most 1920).</summary>
    /// <param name="input">The video file.</param>
    /// <param name="video">Its facts.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="VideoDecodeException">No frame can be decoded.</exception>
    Task<byte[]> ExtractPosterAsync(string input, VideoInfo video, CancellationToken cancellationToken = default);

    /// <summary>Writes the web-playable rendition: H.264 and AAC in MP4, <c>yuv420p</c>, the index first (<c>+faststart</c>), long edge at
    /// most <paramref name="maxEdge"/>, metadata stripped. An input that already qualifies is copied without re-encoding.</summary>
    /// <param name="input">The video file.</param>
    /// <param name="video">Its facts.</param>
    /// <param name="output">Where to write the MP4 (replaced).</param>
    /// <param name="maxEdge">The longest edge of the rendition in pixels.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether the streams were re-encoded (<see langword="false"/>: copied as they were).</returns>
    /// <exception cref="VideoDecodeException">The conversion failed or ran past its time limit.</exception>
    Task<bool> WriteWebRenditionAsync(string input, VideoInfo video, string output, int maxEdge, CancellationToken cancellationToken = default);
}
