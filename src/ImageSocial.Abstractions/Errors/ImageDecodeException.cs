namespace ImageSocial;

/// <summary>The bytes claim an accepted format but cannot be decoded (truncated, corrupt). HTTP 422.</summary>
public sealed class ImageDecodeException(string message, Exception? innerException = null) : ImageSocialException(message, innerException)
{
}
