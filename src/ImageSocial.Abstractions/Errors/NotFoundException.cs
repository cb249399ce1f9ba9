namespace ImageSocial;

/// <summary>The resource does not exist, or the viewer may not know it exists. HTTP 404.</summary>
public sealed class NotFoundException(string message) : ImageSocialException(message)
{
}
