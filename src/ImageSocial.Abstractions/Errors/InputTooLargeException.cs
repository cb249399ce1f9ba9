namespace ImageSocial;

/// <summary>The input is larger than the configured limit (bytes, pixels, frames). HTTP 413.</summary>
public sealed class InputTooLargeException(string message) : ImageSocialException(message)
{
}
