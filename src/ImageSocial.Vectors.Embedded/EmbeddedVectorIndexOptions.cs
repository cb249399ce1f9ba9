using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Vectors.Embedded;

/// <summary>Options of <see cref="EmbeddedVectorIndex"/>.</summary>
public sealed class EmbeddedVectorIndexOptions
{
    /// <summary>The append-only log file that makes the index durable. Default <c>data/vectors/index.log</c>.</summary>
    [Required]
    public string LogPath { get; set; } = Path.Combine("data", "vectors", "index.log");

    /// <summary>The metric. Default <see cref="VectorMetric.Cosine"/>.</summary>
    public VectorMetric Metric { get; set; } = VectorMetric.Cosine;

    /// <summary>Whether each write waits for the disk. Default <see langword="true"/>: an acknowledged upsert survives a crash.</summary>
    public bool DurableWrites { get; set; } = true;
}
