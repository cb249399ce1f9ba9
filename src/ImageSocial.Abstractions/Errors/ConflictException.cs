namespace ImageSocial;

/// <summary>The change conflicts with the current state: a handle already taken, a concurrent update. HTTP 409.</summary>
public class ConflictException(string message) : ImageSocialException(message)
{
}
