using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Vectors.Qdrant;

/// <summary>Where the Qdrant server is and how collections are made (configuration section <c>ImageSocial:Qdrant</c> in the sample host).</summary>
public sealed class QdrantVectorIndexOptions
{
    /// <summary>The server's gRPC endpoint. Default <c>http://localhost:6334</c> (Qdrant's gRPC port; 6333 is its REST port).</summary>
    [Required]
    public string Endpoint { get; set; } = "http://localhost:6334";

    /// <summary>The API key, or <see langword="null"/> for a server without one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Put before the embedding space's name to make the collection's (<c>imagesocial_resnet18-v1</c>), so that several
    /// deployments can share a server. Default <c>imagesocial_</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{0,64}$")]
    public string CollectionPrefix { get; set; } = "imagesocial_";

    /// <summary>The metric of new collections. Default <see cref="VectorMetric.Cosine"/>.</summary>
    public VectorMetric Metric { get; set; } = VectorMetric.Cosine;

    /// <summary>Whether new collections keep an int8 copy of each vector in memory (a quarter of the size) and search it, rescoring
    /// the best <see cref="Oversampling"/> × k candidates with the full vectors. Default <see langword="false"/>.</summary>
    public bool ScalarQuantization { get; set; }

    /// <summary>With <see cref="ScalarQuantization"/>: how many more candidates than asked are rescored. Default 2.</summary>
    [Range(1.0, 16.0)]
    public double Oversampling { get; set; } = 2.0;

    /// <summary>The HNSW search breadth (<c>hnsw_ef</c>), or <see langword="null"/> for the server's default.</summary>
    [Range(1, 100_000)]
    public int? SearchEf { get; set; }

    /// <summary>How many points one upsert request carries at most. Default 256.</summary>
    [Range(1, 10_000)]
    public int UpsertBatchSize { get; set; } = 256;

    /// <summary>The deadline of each call, 1 second to 1 hour. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
