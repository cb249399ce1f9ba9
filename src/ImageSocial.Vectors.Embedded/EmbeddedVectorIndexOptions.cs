using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Vectors.Embedded;

/// <summary>Options of <see cref="EmbeddedVectorIndex"/>.</summary>
public sealed class EmbeddedVectorIndexOptions
{
    /// <summary>The folder that holds one index per embedding space (<c>{Directory}/{space}/index.log</c>) when the index is registered
    /// with <c>AddEmbeddedVectorIndex</c>. Default <c>data/vectors</c>.</summary>
    [Required]
    public string Directory { get; set; } = Path.Combine("data", "vectors");

    /// <summary>The append-only log file that makes the index durable; the snapshot lives beside it (<c>.snapshot</c>). When
    /// <see langword="null"/> (the default), <c>{Directory}/index.log</c> for an index created directly, and the embedding space's own
    /// folder under <see cref="Directory"/> for one registered with <c>AddEmbeddedVectorIndex</c>.</summary>
    public string? LogPath { get; set; }

    /// <summary>The metric. Default <see cref="VectorMetric.Cosine"/>.</summary>
    public VectorMetric Metric { get; set; } = VectorMetric.Cosine;

    /// <summary>Whether each write waits for the disk. Default <see langword="true"/>: an acknowledged upsert survives a crash.</summary>
    public bool DurableWrites { get; set; } = true;

    /// <summary>The approximate (HNSW) index and when it takes over from the exact scan.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public HnswOptions Hnsw { get; set; } = new();

    /// <summary>A snapshot is written once the log holds this many bytes and a quarter of the last snapshot's size, so that opening
    /// replays little while a growing index is not rewritten too often. Default 64 MiB.</summary>
    [Range(1L << 16, long.MaxValue)]
    public long SnapshotLogBytes { get; set; } = 64L << 20;
}
