namespace ImageSocial;

/// <summary>A retention window has passed: a purged photo cannot be restored. HTTP 409.</summary>
public sealed class RetentionExpiredException(string message) : ConflictException(message)
{
}
