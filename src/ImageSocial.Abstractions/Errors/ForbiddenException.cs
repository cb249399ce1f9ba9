namespace ImageSocial;

/// <summary>The acting user may not do this (a role it lacks). HTTP 403. Reads of content the user may not see are
/// <see cref="NotFoundException"/> instead, so that existence is not revealed.</summary>
public sealed class ForbiddenException(string message) : ImageSocialException(message)
{
}
