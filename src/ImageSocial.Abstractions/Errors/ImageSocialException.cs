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
