namespace ImageSocial;

/// <summary>The bytes are not an image in a format the codec accepts. HTTP 415.</summary>
public sealed class UnsupportedImageFormatException(string message) : ImageSocialException(message)
{
}
