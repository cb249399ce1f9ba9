namespace ImageSocial;

/// <summary>Checks a probed video against <see cref="VideoOptions"/>, before anything decodes a frame of it.</summary>
internal static class VideoLimits
{
    internal static void Check(VideoInfo video, VideoOptions limits)
    {
        if (video.StreamCount > limits.MaxStreams)
        {
            throw new InputTooLargeException($"The video has {video.StreamCount} streams; the limit is {limits.MaxStreams}.");
        }

        if ((long)video.Width * video.Height > limits.MaxPixels)
        {
            throw new InputTooLargeException($"The video is {video.Width}×{video.Height}; the limit is {limits.MaxPixels} pixels.");
        }

        if (video.FrameRate > limits.MaxFrameRate)
        {
            throw new InputTooLargeException($"The video runs at {video.FrameRate:0.##} frames per second; the limit is {limits.MaxFrameRate}.");
        }

        if (video.DurationMs > limits.MaxDuration.TotalMilliseconds)
        {
            throw new InputTooLargeException($"The video lasts {TimeSpan.FromMilliseconds(video.DurationMs)}; the limit is {limits.MaxDuration}.");
        }

        if (video.DurationMs <= 0 || video.Width <= 0 || video.Height <= 0)
        {
            throw new VideoDecodeException("The video has no duration or no frame size.");
        }
    }
}
