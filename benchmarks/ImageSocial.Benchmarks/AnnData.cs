using System.IO.MemoryMappedFiles;
using System.Numerics.Tensors;

namespace ImageSocial.Benchmarks;

/// <summary>big-ann-benchmarks files: int32 count, int32 dimension, then row-major float32 (.fbin) or int32 (.ibin).</summary>
internal sealed unsafe class FloatMatrix : IDisposable
{
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly float* rows;

    private FloatMatrix(string path)
    {
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        start += view.PointerOffset;
        Count = ((int*)start)[0];
        Dimension = ((int*)start)[1];
        if (Count < 0 || Dimension <= 0 || new FileInfo(path).Length < 8 + ((long)Count * Dimension * 4))
        {
            throw new InvalidDataException($"{path} is not a float32 matrix in the big-ann-benchmarks layout.");
        }

        rows = (float*)(start + 8);
    }

    public int Count { get; }

    public int Dimension { get; }

    /// <summary>Row <paramref name="i"/>, straight from the mapped file: the OS pages it in on demand.</summary>
    public ReadOnlySpan<float> this[int i] => new(rows + ((long)i * Dimension), Dimension);

    public static FloatMatrix Open(string path) => new(path);

    public void Dispose()
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}

internal static class AnnFiles
{
    public static int[][] ReadIds(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        var width = reader.ReadInt32();
        var rows = new int[count][];
        for (var i = 0; i < count; i++)
        {
            rows[i] = new int[width];
            for (var j = 0; j < width; j++)
            {
                rows[i][j] = reader.ReadInt32();
            }
        }

        return rows;
    }

    public static void WriteFloats(string path, float[][] rows) => Write(path, rows);

    public static void WriteIds(string path, int[][] rows) => Write(path, rows);

    /// <summary>int32 count, int32 width, then the rows, row-major.</summary>
    private static void Write<T>(string path, T[][] rows)
        where T : unmanaged
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(rows.Length);
        writer.Write(rows.Length == 0 ? 0 : rows[0].Length);
        foreach (var row in rows)
        {
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()));
        }
    }

    /// <summary>Clustered data with a low intrinsic dimension, as image embeddings have: each cluster is a random
    /// <paramref name="intrinsic"/>-dimensional Gaussian subspace around its centre, plus a little isotropic noise.</summary>
    public static (float[][] Base, float[][] Queries) Generate(int count, int dimension, int queries, int clusters, int intrinsic = 24, int seed = 42)
    {
        var random = new Random(seed);
        var centres = new float[clusters][];
        var bases = new float[clusters][][];
        for (var c = 0; c < clusters; c++)
        {
            centres[c] = Gaussians(random, dimension, 1f);
            bases[c] = Enumerable.Range(0, intrinsic).Select(_ => Gaussians(random, dimension, 0.25f)).ToArray();
        }

        float[] Point(Random r)
        {
            var c = r.Next(clusters);
            var point = Gaussians(r, dimension, 0.05f);
            TensorPrimitives.Add(point, centres[c], point);
            foreach (var direction in bases[c])
            {
                TensorPrimitives.MultiplyAdd(direction, Gaussian(r), point, point);
            }

            return point;
        }

        var rows = new float[count][];
        Parallel.For(0, count, i => rows[i] = Point(new Random(seed + 1 + i)));
        var q = Enumerable.Range(0, queries).Select(i => Point(new Random(unchecked((seed * 7919) + 1_000_003 + i)))).ToArray(); // seeds no base row uses
        return (rows, q);
    }

    /// <summary>Exact top-<paramref name="k"/> by squared L2 (or by inner product), computed with SIMD over every row.</summary>
    public static int[][] GroundTruth(float[][] rows, float[][] queries, int k, bool innerProduct, IProgress<int>? progress = null)
    {
        var truth = new int[queries.Length][];
        var done = 0;
        Parallel.For(0, queries.Length, qi =>
        {
            var best = new PriorityQueue<int, float>(k + 1);
            var query = queries[qi];
            for (var i = 0; i < rows.Length; i++)
            {
                var score = innerProduct ? TensorPrimitives.Dot(query, rows[i]) : -SquaredDistance(query, rows[i]);
                if (best.Count < k)
                {
                    best.Enqueue(i, score);
                }
                else if (best.TryPeek(out _, out var worst) && score > worst)
                {
                    best.DequeueEnqueue(i, score);
                }
            }

            var ids = new int[k];
            for (var j = k - 1; j >= 0; j--)
            {
                ids[j] = best.Dequeue();
            }

            truth[qi] = ids;
            progress?.Report(Interlocked.Increment(ref done));
        });
        return truth;
    }

    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    private static float[] Gaussians(Random random, int n, float sigma)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = Gaussian(random) * sigma;
        }

        return values;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
