using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Vectors.Milvus;

/// <summary>Where the Milvus server is and how collections are made (configuration section <c>ImageSocial:Milvus</c> in the sample host).</summary>
public sealed class MilvusVectorIndexOptions
{
    /// <summary>The server's REST endpoint (the proxy's port). Default <c>http://localhost:19530</c>.</summary>
    [Required]
    public string Endpoint { get; set; } = "http://localhost:19530";

    /// <summary>The token sent as a bearer: <c>user:password</c> or an API key; <see langword="null"/> for a server without authentication.</summary>
    public string? Token { get; set; }

    /// <summary>The database, or <see langword="null"/> for the server's default one.</summary>
    public string? Database { get; set; }

    /// <summary>Put before the embedding space's name to make the collection's (characters other than letters, digits and '_' become
    /// '_'). Default <c>imagesocial_</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    public string CollectionPrefix { get; set; } = "imagesocial_";

    /// <summary>The metric of new collections. Default <see cref="VectorMetric.Cosine"/>.</summary>
    public VectorMetric Metric { get; set; } = VectorMetric.Cosine;

    /// <summary>The vector index of new collections. Default <see cref="MilvusIndexType.Hnsw"/>.</summary>
    public MilvusIndexType IndexType { get; set; } = MilvusIndexType.Hnsw;

    /// <summary>HNSW: the graph's degree (<c>M</c>). Default 16.</summary>
    [Range(2, 2048)]
    public int HnswM { get; set; } = 16;

    /// <summary>HNSW: the build breadth (<c>efConstruction</c>). Default 200.</summary>
    [Range(1, 100_000)]
    public int HnswEfConstruction { get; set; } = 200;

    /// <summary>HNSW: the search breadth (<c>ef</c>); at least k is used. Default 64.</summary>
    [Range(1, 100_000)]
    public int SearchEf { get; set; } = 64;

    /// <summary>IVF_SQ8: the number of inverted lists (<c>nlist</c>). Default 1024.</summary>
    [Range(1, 65_536)]
    public int Nlist { get; set; } = 1024;

    /// <summary>IVF_SQ8: the lists probed per query (<c>nprobe</c>). Default 16.</summary>
    [Range(1, 65_536)]
    public int Nprobe { get; set; } = 16;

    /// <summary>How many entities one upsert request carries at most. Default 256.</summary>
    [Range(1, 10_000)]
    public int UpsertBatchSize { get; set; } = 256;

    /// <summary>The most tags a record may carry (the collection's array capacity). Default 64.</summary>
    [Range(1, 4096)]
    public int MaxTags { get; set; } = 64;

    /// <summary>The longest tag in UTF-8 bytes (the collection's element length). Default 256.</summary>
    [Range(1, 65_535)]
    public int MaxTagBytes { get; set; } = 256;

    /// <summary>The time limit of each request, 1 second to 1 hour. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
