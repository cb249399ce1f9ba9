namespace ImageSocial.ProviderServices;

/// <summary>Builds and checks blob keys.</summary>
public static class BlobKeys
{
    /// <summary>The key of a photo's rendition: <c>{userId}/{photoId}/{variant}</c>.</summary>
    public static string ForRendition(UserId owner, PhotoId photo, RenditionKind kind) =>
        $"{owner}/{photo}/{kind.ToString().ToLowerInvariant()}";

    /// <summary>Whether a key is well formed: 1–512 characters, segments of [A-Za-z0-9._-] that do not start with '.' (so no '..', and no hidden files).</summary>
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512)
        {
            return false;
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment[0] == '.')
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Throws when a key is not well formed.</summary>
    /// <exception cref="ValidationException">The key is not valid.</exception>
    public static void Validate(string? key)
    {
        if (!IsValid(key))
        {
            throw new ValidationException("The blob key is not valid.") { ParameterName = "key" };
        }
    }
}
