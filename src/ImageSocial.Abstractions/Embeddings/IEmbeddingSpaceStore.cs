namespace ImageSocial;

/// <summary>The embedding spaces a deployment has used, kept in the metadata store so that every host agrees on which model is
/// current and how far the backfill of each space has come.</summary>
/// <remarks>A space is one model's vectors (<see cref="IEmbeddingEngine.ModelId"/>); vectors of different spaces are never compared.
/// Implementations are thread-safe.</remarks>
public interface IEmbeddingSpaceStore
{
    /// <summary>Records that a host embeds into a space, once: the first registration makes it the current space; later ones of the
    /// same space change nothing.</summary>
    /// <param name="id">The space id.</param>
    /// <param name="dimension">Its vector dimension.</param>
    /// <param name="now">The registration time.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The space as stored after the call.</returns>
    /// <exception cref="ConflictException">The space is registered with another dimension.</exception>
    Task<EmbeddingSpaceState> RegisterSpaceAsync(string id, int dimension, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Every registered space, the current one first, then newest first.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<EmbeddingSpaceState>> ListSpacesAsync(CancellationToken cancellationToken = default);

    /// <summary>Records the backfill's progress in a space: how many photos it has embedded so far, and whether it is done.</summary>
    /// <param name="id">The space id.</param>
    /// <param name="embedded">Photos embedded by the backfill so far (added to the stored count).</param>
    /// <param name="completedAt">When the backfill finished, or <see langword="null"/> while it goes on.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">The space is not registered.</exception>
    Task RecordBackfillAsync(string id, long embedded, DateTimeOffset? completedAt, CancellationToken cancellationToken = default);
}
