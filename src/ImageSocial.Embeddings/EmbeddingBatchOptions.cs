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
}
