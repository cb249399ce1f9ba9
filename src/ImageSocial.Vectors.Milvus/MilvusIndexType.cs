namespace ImageSocial.Vectors.Milvus;

/// <summary>The vector index Milvus builds on a new collection.</summary>
public enum MilvusIndexType
{
    /// <summary>HNSW: a graph, the best recall per query time while it fits in memory.</summary>
    Hnsw,

    /// <summary>IVF_SQ8: inverted lists of 8-bit scalar-quantized vectors (a quarter of the memory), probed
    /// <see cref="MilvusVectorIndexOptions.Nprobe"/> lists per query.</summary>
    IvfSq8,
}
