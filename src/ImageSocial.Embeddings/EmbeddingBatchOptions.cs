using System.Numerics.Tensors;
using System.Threading.Channels;

namespace ImageSocial.Embeddings;

/// <summary>Micro-batching of <see cref="OnnxEmbeddingEngine"/>.</summary>
public sealed class EmbeddingBatchOptions
{
    /// <summary>The largest batch. Default 32.</summary>
    public int MaxBatch { get; set; } = 32;

    /// <summary>How long the first request of a batch waits for company. Default 4 ms.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(4);

    /// <summary>How many batches run in the model at once. <see langword="null"/> (the default) runs one at a time when the model takes
    /// batches, and as many as there are processors when its batch dimension is fixed at 1 (one image per run, so images from
    /// concurrent callers are run side by side instead of queued).</summary>
    public int? ConcurrentRuns { get; set; }
}
