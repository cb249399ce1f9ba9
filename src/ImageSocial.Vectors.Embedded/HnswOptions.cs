using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Vectors.Embedded;

/// <summary>The HNSW graph over 8-bit scalar-quantized vectors.</summary>
public sealed class HnswOptions
{
    /// <summary>Below this many vectors every search is an exact scan; at it, the graph is built (on all cores) and used from then on.
    /// Default 20,000.</summary>
    [Range(1, int.MaxValue)]
    public int ExactScanThreshold { get; set; } = 20_000;

    /// <summary>Links per node (level 0 has twice as many). Default 16.</summary>
    [Range(4, 64)]
    public int M { get; set; } = 16;

    /// <summary>Candidate list size while building. Default 200.</summary>
    [Range(8, 4096)]
    public int EfConstruction { get; set; } = 200;

    /// <summary>Candidate list size while searching (at least k). Larger finds more true neighbours, more slowly. Default 128.</summary>
    [Range(1, 4096)]
    public int EfSearch { get; set; } = 128;

    /// <summary>How many candidates per result are re-scored with the float32 vectors (0 turns the rerank off). Default 3.</summary>
    [Range(0, 100)]
    public int RerankFactor { get; set; } = 3;

    /// <summary>When a filter is estimated to pass fewer records than this, the search scans them exactly instead of walking the graph,
    /// so a selective filter still returns k results. Default 5,000.</summary>
    [Range(0, int.MaxValue)]
    public int FilteredExactThreshold { get; set; } = 5_000;

    /// <summary>The share of deleted nodes at which the graph is rebuilt from the live vectors in the background. Default 0.25.</summary>
    [Range(0.01, 1.0)]
    public double RepairDeletedRatio { get; set; } = 0.25;
}
