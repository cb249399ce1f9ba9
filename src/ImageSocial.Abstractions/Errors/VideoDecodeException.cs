namespace ImageSocial;

/// <summary>The upload claims an accepted video container but cannot be read, framed or converted (truncated, corrupt, no frames, too
/// slow). HTTP 422.</summary>
public sealed class VideoDecodeException(string message, Exception? innerException = null) : ImageSocialException(message, innerException)
{
}
