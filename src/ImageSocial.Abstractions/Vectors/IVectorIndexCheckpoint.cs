namespace ImageSocial;

/// <summary>Implemented by a vector index that can keep a reader's position next to its own data, so that the position never runs ahead of
/// what the index holds (the SDK keeps its place in the store's <see cref="IPhotoChangeFeed"/> this way).</summary>
public interface IVectorIndexCheckpoint
{
    /// <summary>The position last saved under <paramref name="name"/>, or <see langword="null"/>.</summary>
    /// <param name="name">The checkpoint's name.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<string?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Saves a position once every write made to the index before the call is as durable as the index makes its writes.</summary>
    /// <param name="name">The checkpoint's name.</param>
    /// <param name="position">The position.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task SetCheckpointAsync(string name, string position, CancellationToken cancellationToken = default);
}
