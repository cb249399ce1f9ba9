using System.Net;

namespace ImageSocial.Vectors.Milvus;

/// <summary>A Milvus request that failed: the server's error code and message, or the HTTP failure as the inner exception.</summary>
public sealed class MilvusVectorIndexException : ImageSocialException
{
    /// <summary>Creates the error for an answer with a non-zero code.</summary>
    public MilvusVectorIndexException(string message, int errorCode, HttpStatusCode? statusCode) : base(message) =>
        (ErrorCode, StatusCode) = (errorCode, statusCode);

    /// <summary>Creates the error for a request that got no usable answer.</summary>
    public MilvusVectorIndexException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Milvus's error code (0 when the request got no answer).</summary>
    public int ErrorCode { get; }

    /// <summary>The HTTP status of the answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <inheritdoc />
    /// <remarks>No answer, a timeout, throttling or a server error: the same call may work later.</remarks>
    public override bool IsTransient =>
        InnerException is HttpRequestException or TaskCanceledException or TimeoutException
        || StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
        || base.IsTransient;
}
