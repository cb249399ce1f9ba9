namespace ImageSocial;

/// <summary>The upload is neither an accepted image nor a video in an accepted container, or videos are not accepted here. HTTP 415.</summary>
public sealed class UnsupportedVideoException(string message) : ImageSocialException(message)
{
}
