using Grpc.Core;

namespace ImageSocial.Vectors.Qdrant;

/// <summary>A Qdrant call that failed; the gRPC status is in <see cref="StatusCode"/> and the client's exception is the inner one.</summary>
public sealed class QdrantVectorIndexException(string message, Exception innerException) : ImageSocialException(message, innerException)
{
    /// <summary>The gRPC status the server (or the channel) answered.</summary>
    public StatusCode? StatusCode => InnerException is RpcException rpc ? rpc.StatusCode : null;

    /// <inheritdoc />
    /// <remarks>An unreachable or overloaded server, or a deadline passed: the same call may work later.</remarks>
    public override bool IsTransient =>
        StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.ResourceExhausted or Grpc.Core.StatusCode.Aborted
        || base.IsTransient;
}
