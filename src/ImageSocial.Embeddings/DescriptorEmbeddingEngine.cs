using System.Numerics.Tensors;

namespace ImageSocial.Embeddings;

/// <summary>A model-free visual descriptor: an 8×8 colour layout (192 values) and histograms of gradient orientations (a 4×4 grid of
/// cells × 8 orientations over a 64×64 grey image, 128 values), each part normalized, then the whole L2-normalized (320 values). It is
/// computed inside any flat border (a frame added around a copy is trimmed first) and on the picture turned so that its brighter half is
/// on the left (a mirrored copy is turned back; where the halves are about as bright, both ways round are mixed).</summary>
/// <remarks>It finds near-duplicates — resized, recompressed, cropped by a tenth, slightly rotated, mirrored, framed, greyed or
/// brightened copies (measured on real photos: see the repository README) — and images with similar colour composition and edge
/// structure. It does not know what an image shows: two photos of different dogs on different backgrounds are not similar to it, and a
/// red car and a red flower on the same background may be; nor does it tell a photo from its mirror image. A model
/// (<see cref="OnnxEmbeddingEngine"/>) is for that.</remarks>
public sealed class DescriptorEmbeddingEngine(IImageCodec codec) : IEmbeddingEngine
{
    private const int Decoded = 64;
    private const int Grey = 64;
    private const int Layout = 8;
    private const int Cells = 4;
    private const int Bins = 8;
    private const int ColourLength = Layout * Layout * 3;
    private const int EdgeLength = Cells * Cells * Bins;
    private static readonly ModelInputSpec Input = new(Decoded, Decoded, ResizeMode.Stretch, [0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>The weight of the edge part against the colour part.</summary>
    private const float EdgeWeight = 0.8f;

    /// <summary>The balance (see <see cref="Balance"/>) from which the brighter half alone decides which way round a picture is described.</summary>
    private const float BalanceMargin = 0.1f;

    /// <summary>How far (on the 0–1 scale, any channel) a border pixel may stray from the border's colour: JPEG ringing, not content.</summary>
    private const float FlatTolerance = 0.08f;

    /// <inheritdoc />
    public string ModelId => "descriptor-colour8x8-hog4x4x8-trim-mirror-v2";

    /// <inheritdoc />
    public int Dimension => ColourLength + EdgeLength;

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
        var decoded = new float[Input.Length];
        codec.GetModelInput(image, Input, decoded);
        var planes = Resample(decoded, ContentBounds(decoded), Grey);

        // Mirror invariance: describe the picture turned so that its brighter half is on the left. Where the halves are nearly as bright
        // (the turn would hang on noise), blend in the other way round, down to an even mix at a tie, so that the vector changes
        // smoothly with the balance and is the same for a photo and its mirror image.
        var balance = Balance(planes);
        var turned = balance < 0 ? Mirror(planes) : planes;
        var vector = Features(turned);
        var certainty = Math.Min(1f, Math.Abs(balance) / BalanceMargin);
        if (certainty < 1f)
        {
            var other = Features(Mirror(turned));
            TensorPrimitives.Multiply(vector, (1 + certainty) / 2, vector);
            TensorPrimitives.MultiplyAdd(other, (1 - certainty) / 2, vector, vector);
            Normalize(vector, 1f);
        }

        return vector;
    }

    private static float[] Features(float[] planes)
    {
        var vector = new float[ColourLength + EdgeLength];
        var colour = vector.AsSpan(0, ColourLength);
        ColourLayout(planes, colour);
        Normalize(colour, 1f);
        var hog = vector.AsSpan(ColourLength);
        Histograms(planes, hog);
        Normalize(hog, EdgeWeight);
        Normalize(vector, 1f);
        return vector;
    }

    /// <summary>The picture inside a flat border: when the four corners share a colour, whole rows and columns of that colour are peeled
    /// off each side (at most 30 % of it), so a framed copy describes the same content as the original.</summary>
    private static (int X0, int Y0, int X1, int Y1) ContentBounds(float[] planes)
    {
        const int n = Decoded;
        float At(int c, int x, int y) => planes[(c * n * n) + (y * n) + x];
        var border = new float[3];
        for (var c = 0; c < 3; c++)
        {
            border[c] = At(c, 0, 0);
        }

        bool Flat(int x, int y) => Math.Abs(At(0, x, y) - border[0]) <= FlatTolerance && Math.Abs(At(1, x, y) - border[1]) <= FlatTolerance
            && Math.Abs(At(2, x, y) - border[2]) <= FlatTolerance;
        if (!Flat(n - 1, 0) || !Flat(0, n - 1) || !Flat(n - 1, n - 1))
        {
            return (0, 0, n, n);
        }

        var most = n * 3 / 10;
        int x0 = 0, y0 = 0, x1 = n, y1 = n;
        while (y0 < most && Enumerable.Range(0, n).All(x => Flat(x, y0)))
        {
            y0++;
        }

        while (n - y1 < most && Enumerable.Range(0, n).All(x => Flat(x, y1 - 1)))
        {
            y1--;
        }

        while (x0 < most && Enumerable.Range(y0, y1 - y0).All(y => Flat(x0, y)))
        {
            x0++;
        }

        while (n - x1 < most && Enumerable.Range(y0, y1 - y0).All(y => Flat(x1 - 1, y)))
        {
            x1--;
        }

        return (x0, y0, x1, y1);
    }

    /// <summary>The region resampled (bilinear) to size × size planes.</summary>
    private static float[] Resample(float[] planes, (int X0, int Y0, int X1, int Y1) region, int size)
    {
        const int n = Decoded;
        var result = new float[3 * size * size];
        var (sx, sy) = ((region.X1 - region.X0) / (float)size, (region.Y1 - region.Y0) / (float)size);
        for (var y = 0; y < size; y++)
        {
            var fy = Math.Clamp(region.Y0 + ((y + 0.5f) * sy) - 0.5f, region.Y0, region.Y1 - 1);
            var (top, wy) = ((int)fy, fy - (int)fy);
            var bottom = Math.Min(top + 1, region.Y1 - 1);
            for (var x = 0; x < size; x++)
            {
                var fx = Math.Clamp(region.X0 + ((x + 0.5f) * sx) - 0.5f, region.X0, region.X1 - 1);
                var (left, wx) = ((int)fx, fx - (int)fx);
                var right = Math.Min(left + 1, region.X1 - 1);
                for (var c = 0; c < 3; c++)
                {
                    var p = c * n * n;
                    var upper = (planes[p + (top * n) + left] * (1 - wx)) + (planes[p + (top * n) + right] * wx);
                    var lower = (planes[p + (bottom * n) + left] * (1 - wx)) + (planes[p + (bottom * n) + right] * wx);
                    result[(c * size * size) + (y * size) + x] = (upper * (1 - wy)) + (lower * wy);
                }
            }
        }

        return result;
    }

    /// <summary>How much brighter the left half is than the right, from −1 to 1 (luminance weighted by the distance from the middle).</summary>
    private static float Balance(float[] planes)
    {
        float signed = 0f, total = 0f;
        for (var y = 0; y < Grey; y++)
        {
            for (var x = 0; x < Grey; x++)
            {
                var i = (y * Grey) + x;
                var luma = Luma(planes, i);
                var lever = ((Grey - 1) / 2f) - x;
                signed += luma * lever;
                total += luma * Math.Abs(lever);
            }
        }

        return total > 0 ? signed / total : 0f;
    }

    private static float[] Mirror(float[] planes)
    {
        var result = (float[])planes.Clone();
        for (var row = 0; row < 3 * Grey; row++)
        {
            result.AsSpan(row * Grey, Grey).Reverse();
        }

        return result;
    }

    /// <summary>Mean colour per cell of an 8×8 grid, centred on 0.5.</summary>
    private static void ColourLayout(float[] planes, Span<float> colour)
    {
        var cell = Grey / Layout;
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < Grey; y++)
            {
                for (var x = 0; x < Grey; x++)
                {
                    colour[(((c * Layout) + (y / cell)) * Layout) + (x / cell)] += planes[(c * Grey * Grey) + (y * Grey) + x] - 0.5f;
                }
            }
        }

        TensorPrimitives.Multiply(colour, 1f / (cell * cell), colour);
    }

    /// <summary>Sobel gradients of the luminance, binned by orientation (0–π, 8 bins) and weighted by magnitude per cell; each cell is
    /// normalized on its own so that contrast does not dominate.</summary>
    private static void Histograms(float[] planes, Span<float> hog)
    {
        var area = Grey * Grey;
        var luma = new float[area];
        for (var i = 0; i < area; i++)
        {
            luma[i] = Luma(planes, i);
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

    /// <summary>The luminance (Rec. 601 weights) of pixel <paramref name="i"/> of 64×64 RGB planes.</summary>
    private static float Luma(float[] planes, int i) =>
        (0.299f * planes[i]) + (0.587f * planes[(Grey * Grey) + i]) + (0.114f * planes[(2 * Grey * Grey) + i]);

    private static void Normalize(Span<float> values, float length)
    {
        var norm = TensorPrimitives.Norm(values);
        if (norm > 0)
        {
            TensorPrimitives.Multiply(values, length / norm, values);
        }
    }
}
