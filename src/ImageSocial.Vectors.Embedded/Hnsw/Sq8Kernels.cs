using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ImageSocial.Vectors.Embedded.Hnsw;

/// <summary>Integer distance kernels over 8-bit codes. Lengths are multiples of <see cref="Sq8Quantizer.Stride"/> (codes are zero-padded),
/// so the loops need no tail.</summary>
internal static unsafe class Sq8Kernels
{
    /// <summary>Σ (a[i] − b[i])².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SquaredDistance(byte* a, byte* b, int length)
    {
        if (Avx512BW.IsSupported)
        {
            var acc = Vector512<int>.Zero;
            for (var i = 0; i < length; i += 64)
            {
                var (alo, ahi) = Vector512.Widen(Vector512.Load(a + i));
                var (blo, bhi) = Vector512.Widen(Vector512.Load(b + i));
                var dlo = (alo - blo).AsInt16();
                var dhi = (ahi - bhi).AsInt16();
                acc += Avx512BW.MultiplyAddAdjacent(dlo, dlo) + Avx512BW.MultiplyAddAdjacent(dhi, dhi);
            }

            return Vector512.Sum(acc);
        }

        if (Avx2.IsSupported)
        {
            var acc = Vector256<int>.Zero;
            for (var i = 0; i < length; i += 32)
            {
                var (alo, ahi) = Vector256.Widen(Vector256.Load(a + i));
                var (blo, bhi) = Vector256.Widen(Vector256.Load(b + i));
                var dlo = (alo - blo).AsInt16();
                var dhi = (ahi - bhi).AsInt16();
                acc += Avx2.MultiplyAddAdjacent(dlo, dlo) + Avx2.MultiplyAddAdjacent(dhi, dhi);
            }

            return Vector256.Sum(acc);
        }

        var sum = 0;
        for (var i = 0; i < length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    /// <summary>Σ a[i] · b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(byte* a, byte* b, int length)
    {
        if (Avx512BW.IsSupported)
        {
            var acc = Vector512<int>.Zero;
            for (var i = 0; i < length; i += 64)
            {
                var (alo, ahi) = Vector512.Widen(Vector512.Load(a + i));
                var (blo, bhi) = Vector512.Widen(Vector512.Load(b + i));
                acc += Avx512BW.MultiplyAddAdjacent(alo.AsInt16(), blo.AsInt16()) + Avx512BW.MultiplyAddAdjacent(ahi.AsInt16(), bhi.AsInt16());
            }

            return Vector512.Sum(acc);
        }

        if (Avx2.IsSupported)
        {
            var acc = Vector256<int>.Zero;
            for (var i = 0; i < length; i += 32)
            {
                var (alo, ahi) = Vector256.Widen(Vector256.Load(a + i));
                var (blo, bhi) = Vector256.Widen(Vector256.Load(b + i));
                acc += Avx2.MultiplyAddAdjacent(alo.AsInt16(), blo.AsInt16()) + Avx2.MultiplyAddAdjacent(ahi.AsInt16(), bhi.AsInt16());
            }

            return Vector256.Sum(acc);
        }

        var sum = 0;
        for (var i = 0; i < length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
