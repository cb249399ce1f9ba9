namespace ImageSocial.Embeddings;

/// <summary>An error reported by ONNX Runtime (or raised while loading it), with its message.</summary>
public sealed class OnnxRuntimeException(string message, int errorCode = 0, Exception? innerException = null) : ImageSocialException(message, innerException)
{
    /// <summary>ONNX Runtime's <c>OrtErrorCode</c> (0 when the error came from loading the library or from the SDK's own checks).</summary>
    public int ErrorCode { get; } = errorCode;
}
