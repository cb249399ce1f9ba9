namespace ImageSocial.Embeddings;

/// <summary>How spatial features are reduced to a vector.</summary>
public enum Pooling
{
    /// <summary>Average over the spatial axes.</summary>
    Mean,

    /// <summary>Maximum over the spatial axes.</summary>
    Max,
}
