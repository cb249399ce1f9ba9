namespace ImageSocial;

/// <summary>Distance metrics.</summary>
public enum VectorMetric
{
    /// <summary>Cosine similarity (score = cosine).</summary>
    Cosine,

    /// <summary>Euclidean distance (score = −squared distance).</summary>
    L2,

    /// <summary>Inner product (score = dot product).</summary>
    InnerProduct,
}
