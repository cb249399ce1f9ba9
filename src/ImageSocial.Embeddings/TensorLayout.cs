namespace ImageSocial.Embeddings;

/// <summary>The order of an image tensor's axes.</summary>
public enum TensorLayout
{
    /// <summary>[N, 3, H, W].</summary>
    Nchw,

    /// <summary>[N, H, W, 3].</summary>
    Nhwc,
}
