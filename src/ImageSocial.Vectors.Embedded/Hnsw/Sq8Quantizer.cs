using System.Numerics.Tensors;

namespace ImageSocial.Vectors.Embedded.Hnsw;

/// <summary>Scalar quantization to 8 bits with one range for every dimension: x ≈ Min + Scale · code.</summary>
/// <remarks>One shared scale keeps squared distances proportional to the float ones (Scale² · Σ Δcode²), so the graph can compare
/// integer sums. The range is trained on a sample, trimmed at the 0.1 % tails; values outside it are clamped, and the optional
/// float rerank repairs the order at the top.</remarks>
internal sealed class Sq8Quantizer
{
    /// <summary>Codes are padded with zeros to a multiple of this, the widest SIMD step.</summary>
    public const int Stride = 64;

    public Sq8Quantizer(int dimension, float min, float scale)
    {
        Dimension = dimension;
        PaddedDimension = (dimension + Stride - 1) / Stride * Stride;
        Min = min;
        Scale = scale > 0 ? scale : 1f;
    }

    public int Dimension { get; }

    public int PaddedDimension { get; }

    public float Min { get; }

    public float Scale { get; }

    /// <summary>Trains the range on up to 100,000 vectors of <paramref name="sample"/>.</summary>
    public static Sq8Quantizer Train(int dimension, IEnumerable<ReadOnlyMemory<float>> sample)
    {
        var values = new List<float>();
        foreach (var vector in sample.Take(100_000))
        {
            var span = vector.Span;
            for (var i = 0; i < span.Length; i += Math.Max(1, span.Length / 64))
            {
                values.Add(span[i]);
            }
        }

        if (values.Count == 0)
        {
            return new Sq8Quantizer(dimension, -1f, 2f / 255);
        }

        values.Sort();
        var lo = values[(int)(values.Count * 0.001)];
        var hi = values[Math.Min(values.Count - 1, (int)(values.Count * 0.999))];
        return new Sq8Quantizer(dimension, lo, (hi - lo) / 255f);
    }

    /// <summary>Writes the codes of <paramref name="vector"/> into <paramref name="codes"/> (length <see cref="PaddedDimension"/>).</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> codes)
    {
        var inverse = 1f / Scale;
        for (var i = 0; i < vector.Length; i++)
        {
            var q = MathF.Round((vector[i] - Min) * inverse);
            codes[i] = (byte)Math.Clamp(q, 0f, 255f);
        }

        codes[vector.Length..].Clear();
    }

    /// <summary>The approximate vector a code stands for.</summary>
    public void Decode(ReadOnlySpan<byte> codes, Span<float> vector)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = Min + (Scale * codes[i]);
        }
    }

    /// <summary>The approximate float dot product from the integer one: Σ (m + s·a)(m + s·b) = n·m² + m·s·(Σa + Σb) + s²·Σab.</summary>
    public float Dot(int codeDot, int sumA, int sumB) => (Dimension * Min * Min) + (Min * Scale * (sumA + sumB)) + (Scale * Scale * codeDot);

    /// <summary>The approximate squared float distance from the integer one.</summary>
    public float SquaredDistance(int codeDistance) => Scale * Scale * codeDistance;

    internal static float Norm(ReadOnlySpan<float> vector) => TensorPrimitives.Norm(vector);
}
