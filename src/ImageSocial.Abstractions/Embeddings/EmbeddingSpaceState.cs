namespace ImageSocial;

/// <summary>What the metadata store knows of one embedding space.</summary>
/// <param name="Id">The space id (the model's <see cref="IEmbeddingEngine.ModelId"/>).</param>
/// <param name="Dimension">The vector dimension.</param>
/// <param name="RegisteredAt">When a host first embedded into it.</param>
/// <param name="IsCurrent">Whether it is the most recently registered space: the model the deployment moved to last.</param>
/// <param name="BackfilledPhotos">How many existing photos the backfill has embedded into it.</param>
/// <param name="BackfillCompletedAt">When the backfill of the photos that existed before it finished, or <see langword="null"/>.</param>
public sealed record EmbeddingSpaceState(string Id, int Dimension, DateTimeOffset RegisteredAt, bool IsCurrent, long BackfilledPhotos, DateTimeOffset? BackfillCompletedAt)
{
    /// <summary>Whether the backfill has finished.</summary>
    public bool IsBackfilled => BackfillCompletedAt is not null;
}
