namespace ImageSocial;

/// <summary>The simplest honest visual embedding: an 8×8 colour layout (192 values), centred and L2-normalized.</summary>
/// <remarks>It finds near-duplicates and images with similar colour composition; it knows nothing about what an image shows.
/// The embedding-engine package replaces it with a model.</remarks>
public sealed class ColourLayoutEmbeddingEngine(IImageCodec codec) : IEmbeddingEngine
{
    private static readonly ModelInputSpec Input = new(8, 8, ResizeMode.Stretch, [0.5f, 0.5f, 0.5f], [1f, 1f, 1f]);

    /// <inheritdoc />
    public string ModelId => "colour-layout-8x8-v1";

    /// <inheritdoc />
    public int Dimension => Input.Length;

    /// <inheritdoc />
    public Task<float[][]> EmbedAsync(IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var result = new float[images.Count][];
        for (var i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vector = new float[Input.Length];
            codec.GetModelInput(images[i], Input, vector);
            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            if (norm > 0)
            {
                for (var j = 0; j < vector.Length; j++)
                {
                    vector[j] /= norm;
                }
            }

            result[i] = vector;
        }

        return Task.FromResult(result);
    }
}
