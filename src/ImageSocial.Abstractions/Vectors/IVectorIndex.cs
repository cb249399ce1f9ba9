namespace ImageSocial;

/// <summary>Vectors with a payload, searched top-k under a filter.</summary>
/// <remarks>Scores are "higher is more similar" whatever the metric. Implementations are thread-safe.</remarks>
public interface IVectorIndex
{
    /// <summary>Inserts or replaces vectors. All vectors of one index share one dimension.</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">A vector has the wrong dimension or a non-finite value.</exception>
    Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Replaces the payload of a stored vector.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="payload">The new payload.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether the record exists.</returns>
    Task<bool> UpdatePayloadAsync(long id, VectorPayload payload, CancellationToken cancellationToken = default);

    /// <summary>Deletes records; idempotent.</summary>
    /// <param name="ids">The record ids.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default);

    /// <summary>The stored vector and payload of a record, or <see langword="null"/>.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<VectorRecord?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="k"/> records most similar to <paramref name="query"/> that pass <paramref name="filter"/>, best first.</summary>
    /// <param name="query">The query vector.</param>
    /// <param name="k">How many results.</param>
    /// <param name="filter">The filter, applied during the search; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, int k, VectorFilter? filter, CancellationToken cancellationToken = default);

    /// <summary>The number of stored records.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
