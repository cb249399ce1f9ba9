using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using ImageSocial.Vectors.Embedded.Hnsw;

namespace ImageSocial.Benchmarks;

/// <summary>The <c>ann</c> benchmark: builds our HNSW-over-SQ8 index on a big-ann-benchmarks dataset and measures recall@k, single-query
/// throughput and latency at each efSearch. Float32 vectors for the rerank are read from the memory-mapped base file, so
/// <c>indexBytes</c> is what the index itself holds in memory: codes, links and per-node state.</summary>
internal static class Ann
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        if (options.TryGetValue("--generate", out var generate))
        {
            return Generate(generate, options);
        }

        string One(string name, string? fallback = null) =>
            options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback ?? throw new ArgumentException($"{name} is required.");
        int Int(string name, int fallback) => int.Parse(One(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        using var data = FloatMatrix.Open(One("--base"));
        using var queries = FloatMatrix.Open(One("--query"));
        var truth = AnnFiles.ReadIds(One("--truth"));
        var k = Int("--k", 10);
        var metric = One("--metric", "l2");
        var innerProduct = metric is "ip" or "inner-product";
        if (metric is not ("l2" or "ip" or "inner-product"))
        {
            throw new ArgumentException("--metric is l2 or ip (cosine: normalize the files and use ip).");
        }

        if (options.TryGetValue("--open-test", out var openDir) && openDir.Count > 0)
        {
            return await OpenTest.RunAsync(data, queries, truth, openDir[0]);
        }

        var m = Int("--m", 16);
        var efConstruction = Int("--ef-construction", 200);
        var efs = One("--ef-search", "16,32,64,128,256").Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToArray();
        var threads = Int("--threads", 1);
        var buildThreads = Int("--build-threads", Environment.ProcessorCount);
        var rerank = Int("--rerank", 3);
        Console.WriteLine($"base {data.Count} x {data.Dimension}, {queries.Count} queries, k={k}, metric={metric}, M={m}, efConstruction={efConstruction}, build threads={buildThreads}, query threads={threads}, rerank {rerank}k");

        var clock = Stopwatch.StartNew();
        var quantizer = Sq8Quantizer.Train(data.Dimension, Sample(data));
        using var graph = Build(data, quantizer, innerProduct, m, efConstruction, buildThreads, _ => true);
        var buildSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"build: {buildSeconds:F2} s, index {graph.MemoryBytes / 1048576.0:F1} MiB");

        var results = new List<object>();
        Console.WriteLine($"{"efSearch",9} {"recall@" + k,10} {"QPS",10} {"p50 us",9} {"p99 us",9}");
        foreach (var ef in efs)
        {
            Measure(data, queries, graph, quantizer, innerProduct, k, Math.Max(ef, k), rerank * k, threads, truth, warmUp: true);
            var (recall, qps, p50, p99) = Measure(data, queries, graph, quantizer, innerProduct, k, Math.Max(ef, k), rerank * k, threads, truth, warmUp: false);
            Console.WriteLine($"{ef,9} {recall,10:F4} {qps,10:F0} {p50,9:F1} {p99,9:F1}");
            results.Add(new { efSearch = ef, recall, qps, p50Us = p50, p99Us = p99 });
        }

        if (options.TryGetValue("--delete", out var deleteShare) && deleteShare.Count > 0)
        {
            DeleteThenCompare(data, queries, truth, graph, quantizer, innerProduct, k, m, efConstruction, buildThreads, efs, rerank, threads,
                double.Parse(deleteShare[0], CultureInfo.InvariantCulture));
        }

        if (options.TryGetValue("--json", out var json) && json.Count > 0)
        {
            await File.WriteAllTextAsync(json[0], JsonSerializer.Serialize(new { buildSeconds, indexBytes = graph.MemoryBytes, results }));
        }

        return 0;
    }

    private static HnswGraph Build(FloatMatrix data, Sq8Quantizer quantizer, bool innerProduct, int m, int efConstruction, int threads, Func<int, bool> include)
    {
        var clock = Stopwatch.StartNew();
        var graph = new HnswGraph(quantizer, innerProduct, m, efConstruction, data.Count);
        var done = 0;
        Parallel.For(0, data.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new byte[quantizer.PaddedDimension], (i, _, codes) =>
        {
            if (include(i))
            {
                quantizer.Encode(data[i], codes);
                graph.Insert(i, codes);
            }

            if (Interlocked.Increment(ref done) % 50_000 == 0)
            {
                Console.WriteLine($"  built {done}/{data.Count} ({clock.Elapsed.TotalSeconds:F1} s)");
            }

            return codes;
        }, _ => { });
        return graph;
    }

    /// <summary>Deletes a share of the vectors (tombstones) and compares recall with a graph built fresh from the survivors, both against
    /// the survivors' exact neighbours (the first k surviving ids of each ground-truth row).</summary>
    private static void DeleteThenCompare(FloatMatrix data, FloatMatrix queries, int[][] truth, HnswGraph graph, Sq8Quantizer quantizer, bool innerProduct,
        int k, int m, int efConstruction, int buildThreads, int[] efs, int rerank, int threads, double share)
    {
        bool Deleted(int i) => (uint)(i * 2654435761u) % 1000 < share * 1000;
        for (var i = 0; i < data.Count; i++)
        {
            if (Deleted(i))
            {
                graph.MarkDeleted(i);
            }
        }

        var survivorsTruth = truth.Select(row => row.Where(i => !Deleted(i)).Take(k).ToArray()).ToArray();
        Console.WriteLine($"deleted {graph.DeletedCount} ({share:P0}); building a fresh graph of the survivors");
        using var fresh = Build(data, quantizer, innerProduct, m, efConstruction, buildThreads, i => !Deleted(i));
        Console.WriteLine($"{"efSearch",9} {"after deletes",14} {"fresh build",12}");
        foreach (var ef in efs)
        {
            var churned = Measure(data, queries, graph, quantizer, innerProduct, k, Math.Max(ef, k), rerank * k, threads, survivorsTruth, warmUp: false).Recall;
            var rebuilt = Measure(data, queries, fresh, quantizer, innerProduct, k, Math.Max(ef, k), rerank * k, threads, survivorsTruth, warmUp: false).Recall;
            Console.WriteLine($"{ef,9} {churned,14:F4} {rebuilt,12:F4}");
        }
    }

    private static (double Recall, double Qps, double P50, double P99) Measure(FloatMatrix data, FloatMatrix queries, HnswGraph graph, Sq8Quantizer quantizer,
        bool innerProduct, int k, int ef, int rerank, int threads, int[][] truth, bool warmUp)
    {
        var count = warmUp ? Math.Min(queries.Count, 200) : queries.Count;
        var latencies = new double[count];
        var hits = new int[count];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new QueryState(quantizer.PaddedDimension), (qi, _, state) =>
        {
            var start = Stopwatch.GetTimestamp();
            var query = queries[qi];
            quantizer.Encode(query, state.Codes);
            graph.Search(state.Codes, ef, null, state.Candidates);
            Rerank(data, query, innerProduct, Math.Min(rerank, state.Candidates.Count), state);
            latencies[qi] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            var expected = truth[qi].AsSpan(0, k);
            var found = 0;
            for (var j = 0; j < Math.Min(k, state.Best.Count); j++)
            {
                if (expected.Contains(state.Best[j].Node))
                {
                    found++;
                }
            }

            hits[qi] = found;
            return state;
        }, _ => { });
        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return ((double)hits.Sum() / (count * k), count / seconds, latencies[count / 2], latencies[Math.Min(count - 1, (int)(count * 0.99))]);
    }

    /// <summary>Re-scores the best graph candidates with the float32 vectors and keeps them in exact order.</summary>
    private static void Rerank(FloatMatrix data, ReadOnlySpan<float> query, bool innerProduct, int count, QueryState state)
    {
        state.Best.Clear();
        for (var i = 0; i < count; i++)
        {
            var node = state.Candidates[i].Node;
            var distance = innerProduct ? -TensorPrimitives.Dot(query, data[node]) : AnnFiles.SquaredDistance(query, data[node]);
            state.Best.Add((distance, node));
        }

        state.Best.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
    }

    private static IEnumerable<ReadOnlyMemory<float>> Sample(FloatMatrix data)
    {
        var step = Math.Max(1, data.Count / 20_000);
        for (var i = 0; i < data.Count; i += step)
        {
            yield return data[i].ToArray();
        }
    }

    private static int Generate(List<string> size, Dictionary<string, List<string>> options)
    {
        if (size.Count != 2 || !options.TryGetValue("--out", out var outDir) || outDir.Count == 0)
        {
            Console.Error.WriteLine("usage: ann --generate N D --out DIR [--queries 1000] [--clusters 64] [--truth-k 100]");
            return 2;
        }

        var n = int.Parse(size[0], CultureInfo.InvariantCulture);
        var d = int.Parse(size[1], CultureInfo.InvariantCulture);
        int Opt(string name, int fallback) => options.TryGetValue(name, out var v) && v.Count > 0 ? int.Parse(v[0], CultureInfo.InvariantCulture) : fallback;
        var dir = Directory.CreateDirectory(outDir[0]).FullName;
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"generating {n} x {d} clustered vectors and {Opt("--queries", 1000)} queries in {dir}");
        var (rows, queries) = AnnFiles.Generate(n, d, Opt("--queries", 1000), Opt("--clusters", 64));
        AnnFiles.WriteFloats(Path.Combine(dir, "base.fbin"), rows);
        AnnFiles.WriteFloats(Path.Combine(dir, "query.fbin"), queries);
        Console.WriteLine($"  vectors written ({clock.Elapsed.TotalSeconds:F1} s); exact ground truth (top {Opt("--truth-k", 100)}, L2)");
        var last = 0;
        var truth = AnnFiles.GroundTruth(rows, queries, Opt("--truth-k", 100), innerProduct: false, new Progress<int>(i =>
        {
            if (i * 10 / queries.Length > last)
            {
                last = i * 10 / queries.Length;
                Console.WriteLine($"  {last * 10}% ({clock.Elapsed.TotalSeconds:F1} s)");
            }
        }));
        AnnFiles.WriteIds(Path.Combine(dir, "truth.ibin"), truth);
        Console.WriteLine($"wrote base.fbin, query.fbin, truth.ibin ({clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    private sealed class QueryState(int padded)
    {
        public byte[] Codes { get; } = new byte[padded];

        public List<(float Distance, int Node)> Candidates { get; } = [];

        public List<(float Distance, int Node)> Best { get; } = [];
    }
}
