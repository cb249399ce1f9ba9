namespace ImageSocial;

/// <summary>Turns images into embedding vectors.</summary>
/// <remarks>Thread-safe; concurrent callers may be batched together.</remarks>
public interface IEmbeddingEngine
{
    /// <summary>The id of the embedding space (model and version); vectors from different spaces are never compared.</summary>
    string ModelId { get; }

    /// <summary>The vector dimension.</summary>
    int Dimension { get; }

    /// <summary>Embeds images; the result has one L2-normalized vector per image, in order.</summary>
    /// <param name="images">The encoded images.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<float[][]> EmbedAsync(IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken cancellationToken = default);
}
