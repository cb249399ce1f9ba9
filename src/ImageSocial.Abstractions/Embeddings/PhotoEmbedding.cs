namespace ImageSocial;

/// <summary>One photo's vector in one embedding space, as the metadata store keeps it.</summary>
/// <param name="Photo">The photo.</param>
/// <param name="Vector">Its embedding (the space's dimension).</param>
public sealed record PhotoEmbedding(PhotoId Photo, ReadOnlyMemory<float> Vector);
