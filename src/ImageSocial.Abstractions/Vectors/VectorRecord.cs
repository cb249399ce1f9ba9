namespace ImageSocial;

/// <summary>A stored vector.</summary>
/// <param name="Id">The record id (a photo id's value).</param>
/// <param name="Vector">The vector.</param>
/// <param name="Payload">What filters read.</param>
public sealed record VectorRecord(long Id, ReadOnlyMemory<float> Vector, VectorPayload Payload);
