namespace ImageSocial;

/// <summary>Embeddings kept as data, next to their photos in the metadata store: the indexing job writes each (photo, space) vector once,
/// and any vector index is a projection of them that can be rebuilt or switched without running the model again.</summary>
/// <remarks>A photo's embeddings live on the photo's shard and go when the photo is purged. Implementations are thread-safe.</remarks>
public interface IEmbeddingStore
{
    /// <summary>Stores (or replaces) vectors of one space; a vector of a photo that no longer exists is dropped.</summary>
    /// <param name="space">The embedding space id (<see cref="IEmbeddingEngine.ModelId"/>).</param>
    /// <param name="embeddings">The vectors.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many were stored.</returns>
    Task<int> SaveEmbeddingsAsync(string space, IReadOnlyList<PhotoEmbedding> embeddings, CancellationToken cancellationToken = default);

    /// <summary>The stored vectors of some photos in one space; photos without one are absent.</summary>
    /// <param name="space">The embedding space id.</param>
    /// <param name="photos">The photos.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<PhotoEmbedding>> GetEmbeddingsAsync(string space, IReadOnlyList<PhotoId> photos, CancellationToken cancellationToken = default);

    /// <summary>Every stored vector of a space, a page at a time in photo id order (for rebuilding an index).</summary>
    /// <param name="space">The embedding space id.</param>
    /// <param name="page">The cursor and page size.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<PhotoEmbedding>> ListEmbeddingsAsync(string space, PageRequest page, CancellationToken cancellationToken = default);
}
