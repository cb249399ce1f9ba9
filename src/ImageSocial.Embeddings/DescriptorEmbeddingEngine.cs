using System.Numerics.Tensors;

namespace ImageSocial.Embeddings;

/// <summary>A model-free visual descriptor: an 8×8 colour layout (192 values) and histograms of gradient orientations (a 4×4 grid of
/// cells × 8 orientations over a 64×64 grey image, 128 values), each part normalized, then the whole L2-normalized (320 values).</summary>
/// <remarks>It finds near-duplicates (re-encoded, resized, lightly edited copies) and images with similar colour composition and
/// edge structure. It does not know what an image shows: two photos of different dogs on different backgrounds are not similar to
/// it, and a red car and a red flower on the same background may be. A model (<see cref="OnnxEmbeddingEngine"/>) is for that.</remarks>
public sealed class DescriptorEmbeddingEngine(IImageCodec codec) : IEmbeddingEngine
{
    private const int Grey = 64;
    private const int Cells = 4;
    private const int Bins = 8;
    private static readonly ModelInputSpec Colour = new(8, 8, ResizeMode.Stretch, [0.5f, 0.5f, 0.5f], [1f, 1f, 1f]);
    private static readonly ModelInputSpec Edges = new(Grey, Grey, ResizeMode.Stretch, [0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>The weight of the edge part against the colour part.</summary>
    private const float EdgeWeight = 0.8f;

    /// <inheritdoc />
    public string ModelId => "descriptor-colour8x8-hog4x4x8-v1";

    /// <inheritdoc />
    public int Dimension => Colour.Length + (Cells * Cells * Bins);

    /// <inheritdoc />
    public Task<float[][]> EmbedAsync(IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var result = EmbeddingTelemetry.Batch(images.Count, images.Count, () =>
        {
            var vectors = new float[images.Count][];
            Parallel.For(0, images.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => vectors[i] = Describe(images[i]));
            return vectors;
        });
        return Task.FromResult(result);
    }

    private float[] Describe(ReadOnlyMemory<byte> image)
    {
        var vector = new float[Dimension];
        var colour = vector.AsSpan(0, Colour.Length);
        codec.GetModelInput(image, Colour, colour);
        Normalize(colour, 1f);

        var planes = new float[Edges.Length];
        codec.GetModelInput(image, Edges, planes);
        var hog = vector.AsSpan(Colour.Length);
        Histograms(planes, hog);
        Normalize(hog, EdgeWeight);
        Normalize(vector, 1f);
        return vector;
    }

    /// <summary>Sobel gradients of the luminance, binned by orientation (0–π, 8 bins) and weighted by magnitude per cell; each cell is
    /// normalized on its own so that contrast does not dominate.</summary>
    private static void Histograms(float[] planes, Span<float> hog)
    {
        var area = Grey * Grey;
        var luma = new float[area];
        for (var i = 0; i < area; i++)
        {
            luma[i] = (0.299f * planes[i]) + (0.587f * planes[area + i]) + (0.114f * planes[(2 * area) + i]);
        }

        var cell = Grey / Cells;
        for (var y = 1; y < Grey - 1; y++)
        {
            for (var x = 1; x < Grey - 1; x++)
            {
                float At(int dx, int dy) => luma[((y + dy) * Grey) + x + dx];
                var gx = At(1, -1) + (2 * At(1, 0)) + At(1, 1) - At(-1, -1) - (2 * At(-1, 0)) - At(-1, 1);
                var gy = At(-1, 1) + (2 * At(0, 1)) + At(1, 1) - At(-1, -1) - (2 * At(0, -1)) - At(1, -1);
                var magnitude = MathF.Sqrt((gx * gx) + (gy * gy));
                if (magnitude < 1e-4f)
                {
                    continue;
                }

                var angle = MathF.Atan2(gy, gx);
                if (angle < 0)
                {
                    angle += MathF.PI;
                }

                var bin = Math.Min(Bins - 1, (int)(angle / MathF.PI * Bins));
                hog[((((y / cell) * Cells) + (x / cell)) * Bins) + bin] += magnitude;
            }
        }

        for (var c = 0; c < Cells * Cells; c++)
        {
            Normalize(hog.Slice(c * Bins, Bins), 1f);
        }
    }

    private static void Normalize(Span<float> values, float length)
    {
        var norm = TensorPrimitives.Norm(values);
        if (norm > 0)
        {
            TensorPrimitives.Multiply(values, length / norm, values);
        }
    }
}
