using System.Net;
using Amazon.Runtime;

namespace ImageSocial.Storage.S3;

/// <summary>An S3 failure other than "no such object" (which reads as <see langword="null"/> or <see langword="false"/>); the store's
/// error code and HTTP status are in the message, the SDK's exception is the inner one.</summary>
public sealed class S3BlobStoreException(string message, Exception innerException) : ImageSocialException(message, innerException)
{
    /// <summary>The HTTP status the store answered, when it answered.</summary>
    public HttpStatusCode? StatusCode => InnerException is AmazonServiceException { StatusCode: not 0 } service ? service.StatusCode : null;

    /// <inheritdoc />
    /// <remarks>Throttling, server errors, timeouts and connections that failed: the same call may work later.</remarks>
    public override bool IsTransient => InnerException switch
    {
        AmazonServiceException { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout } => true,
        AmazonServiceException { ErrorCode: "SlowDown" or "RequestTimeout" or "ServiceUnavailable" or "InternalError" } => true,
        AmazonServiceException service when (int)service.StatusCode >= 500 => true,
        AmazonServiceException { StatusCode: 0, InnerException: HttpRequestException or IOException or TimeoutException } => true,
        HttpRequestException or TaskCanceledException => true,
        _ => base.IsTransient,
    };
}
