namespace ImageSocial;

/// <summary>The base of every error the SDK raises on purpose. Hosts map the subclasses to HTTP statuses.</summary>
/// <remarks>Argument errors from programming mistakes (a null argument) stay standard CLR exceptions.</remarks>
public class ImageSocialException : Exception
{
    /// <summary>Creates the error with a message.</summary>
    public ImageSocialException(string message) : base(message) { }

    /// <summary>Creates the error with a message and the provider's original error.</summary>
    public ImageSocialException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The provider that raised it (<c>sqlite</c>, <c>libvips</c>, …), aligned with OpenTelemetry's <c>db.system.name</c>.</summary>
    public string? ProviderName { get; init; }

    /// <summary>The operation that failed, for example <c>CreatePhoto</c>.</summary>
    public string? OperationName { get; init; }

    /// <summary>Whether repeating the same call later may succeed.</summary>
    public virtual bool IsTransient => InnerException is IOException or TimeoutException or System.Net.Sockets.SocketException;
}

/// <summary>The request itself is invalid: a value out of range, a string too long, bad characters. HTTP 400.</summary>
public class ValidationException(string message) : ImageSocialException(message)
{
    /// <summary>The name of the offending parameter or field, when there is one.</summary>
    public string? ParameterName { get; init; }
}

/// <summary>A text that should be an id is not one. HTTP 400.</summary>
public sealed class InvalidIdException(string idType, string text)
    : ValidationException($"'{Sanitize(text)}' is not a valid {idType}.")
{
    /// <summary>The id type that was expected.</summary>
    public string IdType { get; } = idType;

    private static string Sanitize(string text) => new(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
}

/// <summary>The resource does not exist, or the viewer may not know it exists. HTTP 404.</summary>
public sealed class NotFoundException(string message) : ImageSocialException(message)
{
}

/// <summary>The caller may see the resource but not do this to it. HTTP 403.</summary>
public sealed class ForbiddenException(string message) : ImageSocialException(message)
{
}

/// <summary>The change conflicts with the current state: a handle already taken, a concurrent update. HTTP 409.</summary>
public class ConflictException(string message) : ImageSocialException(message)
{
}

/// <summary>The input is larger than the configured limit (bytes, pixels, frames). HTTP 413.</summary>
public sealed class InputTooLargeException(string message) : ImageSocialException(message)
{
}

/// <summary>The bytes are not an image in a format the codec accepts. HTTP 415.</summary>
public sealed class UnsupportedImageFormatException(string message) : ImageSocialException(message)
{
}

/// <summary>The bytes claim an accepted format but cannot be decoded (truncated, corrupt). HTTP 422.</summary>
public sealed class ImageDecodeException(string message, Exception? innerException = null) : ImageSocialException(message, innerException)
{
}

/// <summary>A retention window has passed: a purged photo cannot be restored. HTTP 409.</summary>
public sealed class RetentionExpiredException(string message) : ConflictException(message)
{
}
