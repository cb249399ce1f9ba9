using System.Numerics.Tensors;
using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;

namespace ImageSocial.Vectors.Embedded.Tests;

/// <summary>The conformance kit with the graph in use from the first vector and filters always walking the graph.</summary>
public sealed class EmbeddedGraphConformanceTests : VectorIndexTests, IDisposable
{
    private readonly TemporaryDirectory folder = new();
    private readonly List<EmbeddedVectorIndex> opened = [];

    protected override IVectorIndex CreateIndex() => Reopen();

    protected override IVectorIndex Reopen()
    {
        var index = new EmbeddedVectorIndex(Options.Create(new EmbeddedVectorIndexOptions
        {
            LogPath = folder.File("index.log"),
            DurableWrites = false,
            Hnsw = { ExactScanThreshold = 1, FilteredExactThreshold = 0 },
        }));
        opened.Add(index);
        return new Settled(index);
    }

    public void Dispose()
    {
        opened.ForEach(i => i.Dispose());
        folder.Dispose();
    }

    /// <summary>Waits for the background graph build after each write, so every search after it uses the graph.</summary>
    private sealed class Settled(EmbeddedVectorIndex inner) : IVectorIndex, IDisposable
    {
        public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
        {
            await inner.UpsertAsync(records, cancellationToken);
            await inner.WaitForMaintenanceAsync();
            Assert.True(inner.UsesGraph);
        }

        public async Task<bool> UpdatePayloadAsync(long id, VectorPayload payload, CancellationToken cancellationToken = default)
        {
            var updated = await inner.UpdatePayloadAsync(id, payload, cancellationToken);
            await inner.WaitForMaintenanceAsync();
            return updated;
        }

        public async Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
        {
            await inner.DeleteAsync(ids, cancellationToken);
            await inner.WaitForMaintenanceAsync();
        }

        public Task<VectorRecord?> GetAsync(long id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, int k, VectorFilter? filter, CancellationToken cancellationToken = default) =>
            inner.SearchAsync(query, k, filter, cancellationToken);

        public Task<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);

        public void Dispose() => inner.Dispose();
    }
}

public sealed class GraphIndexTests : IDisposable
{
    private static readonly UserId Alice = new(SnowflakeId.Compose(1, 1, 1));
    private static readonly UserId Bob = new(SnowflakeId.Compose(1, 2, 1));
    private readonly TemporaryDirectory folder = new();

    [Fact]
    public async Task Switches_to_the_graph_at_the_threshold_and_finds_the_true_neighbours()
    {
        var data = Clustered(4000, 32, seed: 1);
        using var index = Open("switch", o => o.Hnsw.ExactScanThreshold = 2000);
        await index.UpsertAsync(Records(data[..1999]));
        await index.WaitForMaintenanceAsync();
        Assert.False(index.UsesGraph);
        await index.UpsertAsync(Records(data[1999..], first: 1999));
        await index.WaitForMaintenanceAsync();
        Assert.True(index.UsesGraph);
        Assert.Equal(4000, await index.CountAsync());
        Assert.True(await RecallAsync(index, data, Clustered(100, 32, seed: 2)) >= 0.95);
    }

    [Fact]
    public async Task Deleting_30_percent_keeps_recall_within_a_point_of_a_fresh_build()
    {
        var data = Clustered(6000, 32, seed: 3);
        var queries = Clustered(200, 32, seed: 4);
        void Tight(EmbeddedVectorIndexOptions o)
        {
            (o.Hnsw.ExactScanThreshold, o.Hnsw.EfSearch, o.Hnsw.RerankFactor, o.Hnsw.RepairDeletedRatio) = (1000, 16, 1, 0.9);
        }

        using var churned = Open("churned", Tight);
        await churned.UpsertAsync(Records(data));
        await churned.WaitForMaintenanceAsync();
        var deleted = Enumerable.Range(0, data.Length).Where(i => i % 10 < 3).Select(i => (long)i + 1).ToList();
        await churned.DeleteAsync(deleted);
        await churned.WaitForMaintenanceAsync();
        Assert.Equal((6000, 1800), churned.GraphSize); // tombstones, no repair at this ratio

        var kept = Enumerable.Range(0, data.Length).Where(i => i % 10 >= 3).ToArray();
        using var fresh = Open("fresh", Tight);
        await fresh.UpsertAsync(kept.Select(i => Record(i + 1, data[i])).ToList());
        await fresh.WaitForMaintenanceAsync();

        var survivors = kept.ToDictionary(i => (long)i + 1, i => data[i]);
        var afterDeletes = await RecallAsync(churned, survivors, queries);
        var rebuilt = await RecallAsync(fresh, survivors, queries);
        Assert.True(afterDeletes >= rebuilt - 0.01, $"recall after deleting 30 %: {afterDeletes:F3}; fresh build: {rebuilt:F3}");
        Assert.DoesNotContain((await churned.SearchAsync(data[0], 10, null)).Select(m => m.Id), deleted.Contains);
    }

    [Fact]
    public async Task Past_the_deleted_ratio_the_graph_is_rebuilt_on_dense_slots()
    {
        var data = Clustered(3000, 16, seed: 5);
        using var index = Open("repair", o => (o.Hnsw.ExactScanThreshold, o.Hnsw.RepairDeletedRatio) = (1000, 0.25));
        await index.UpsertAsync(Records(data));
        await index.WaitForMaintenanceAsync();
        await index.DeleteAsync(Enumerable.Range(1, 1000).Select(i => (long)i).ToList());
        await index.WaitForMaintenanceAsync();
        Assert.Equal((2000, 0), index.GraphSize);
        Assert.Equal(2000, await index.CountAsync());
        Assert.All(await index.SearchAsync(data[10], 20, null), m => Assert.True(m.Id > 1000));
        Assert.Equal(1500L, (await index.SearchAsync(data[1499], 1, null))[0].Id);
    }

    [Fact]
    public async Task A_snapshot_reopens_with_its_graph_and_the_same_answers()
    {
        var data = Clustered(3000, 24, seed: 6);
        var queries = Clustered(20, 24, seed: 7);
        IReadOnlyList<VectorMatch>[] before;
        using (var index = Open("snap", o => o.Hnsw.ExactScanThreshold = 1000))
        {
            await index.UpsertAsync(Records(data[..2500]));
            await index.WaitForMaintenanceAsync();
            await index.UpsertAsync(Records(data[2500..], first: 2500)); // after the snapshot: replayed from the log
            await index.DeleteAsync([7]);
            before = await Task.WhenAll(queries.Select(q => index.SearchAsync(q, 10, null)));
        }

        using var reopened = Open("snap", o => o.Hnsw.ExactScanThreshold = 1000);
        Assert.True(reopened.UsesGraph);
        Assert.Equal(2999, await reopened.CountAsync());
        Assert.Null(await reopened.GetAsync(7));
        Assert.Equal(data[2700], (await reopened.GetAsync(2701))!.Vector.ToArray());
        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(before[i].Select(m => m.Id), (await reopened.SearchAsync(queries[i], 10, null)).Select(m => m.Id));
        }
    }

    [Fact]
    public async Task Searches_go_on_while_inserts_and_the_graph_build_run()
    {
        var data = Clustered(3000, 16, seed: 8);
        using var index = Open("concurrent", o => o.Hnsw.ExactScanThreshold = 1000);
        var readersStarted = new TaskCompletionSource();
        var writing = Task.Run(async () =>
        {
            await readersStarted.Task;
            for (var i = 0; i < data.Length; i += 100)
            {
                await index.UpsertAsync(Records(data[i..(i + 100)], first: i));
            }
        });
        var searches = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            while (!writing.IsCompleted || Volatile.Read(ref searches) == 0)
            {
                foreach (var match in await index.SearchAsync(data[(searches * 7) % data.Length], 5, new VectorFilter { Viewer = Bob }))
                {
                    Assert.InRange(match.Id, 1, data.Length);
                }

                Interlocked.Increment(ref searches);
                readersStarted.TrySetResult();
            }
        })).ToList();
        await writing;
        await Task.WhenAll(readers);
        await index.WaitForMaintenanceAsync();
        Assert.True(index.UsesGraph);
        Assert.True(searches > 0);
        Assert.Equal(3000, await index.CountAsync());
    }

    [Fact]
    public async Task A_selective_filter_returns_k_from_the_graph_walk_or_the_exact_scan()
    {
        var data = Clustered(5000, 16, seed: 9);
        foreach (var exactBelow in new[] { 5000, 0 })
        {
            using var index = Open($"filter{exactBelow}", o => (o.Hnsw.ExactScanThreshold, o.Hnsw.FilteredExactThreshold) = (1000, exactBelow));
            await index.UpsertAsync(data.Select((v, i) => new VectorRecord(i + 1, v, Payload(i % 200 == 0 ? Alice : Bob))).ToList());
            await index.WaitForMaintenanceAsync();
            var result = await index.SearchAsync(data[3], 10, new VectorFilter { Owner = Alice });
            Assert.Equal(10, result.Count);
            Assert.All(result, m => Assert.Equal(0, (m.Id - 1) % 200));
        }
    }

    [Theory]
    [InlineData(VectorMetric.InnerProduct)]
    [InlineData(VectorMetric.Cosine)]
    public async Task Inner_product_and_cosine_rank_like_an_exact_scan_in_the_graph(VectorMetric metric)
    {
        // Norms vary, so inner product and cosine disagree; each must match its own exact ranking.
        var random = new Random(11);
        var data = Clustered(3000, 16, seed: 12).Select(v => v.Select(x => x * (float)(0.5 + random.NextDouble())).ToArray()).ToArray();
        using var graph = Open($"graph-{metric}", o => (o.Metric, o.Hnsw.ExactScanThreshold) = (metric, 1000));
        using var exact = Open($"exact-{metric}", o => (o.Metric, o.Hnsw.ExactScanThreshold) = (metric, int.MaxValue));
        await graph.UpsertAsync(Records(data));
        await exact.UpsertAsync(Records(data));
        await graph.WaitForMaintenanceAsync();
        Assert.True(graph.UsesGraph);
        var hits = 0;
        foreach (var query in Clustered(50, 16, seed: 13))
        {
            var expected = (await exact.SearchAsync(query, 10, null)).Select(m => m.Id).ToHashSet();
            var found = await graph.SearchAsync(query, 10, null);
            hits += found.Count(m => expected.Contains(m.Id));
            Assert.True(found.Zip(found.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        }

        Assert.True(hits >= 0.95 * 500, $"{hits} of 500 neighbours found");
    }

    [Fact]
    public async Task Dimensions_beyond_4096_are_rejected()
    {
        using var index = Open("wide", _ => { });
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([new VectorRecord(1, new float[4097], Payload(Alice))]));
        await index.UpsertAsync([new VectorRecord(1, Enumerable.Repeat(1f, 4096).ToArray(), Payload(Alice))]);
        Assert.Equal(1, await index.CountAsync());
    }

    public void Dispose() => folder.Dispose();

    private EmbeddedVectorIndex Open(string name, Action<EmbeddedVectorIndexOptions> configure)
    {
        var options = new EmbeddedVectorIndexOptions { LogPath = folder.File(name + ".log"), DurableWrites = false, Metric = VectorMetric.L2 };
        configure(options);
        return new EmbeddedVectorIndex(Options.Create(options));
    }

    private static VectorPayload Payload(UserId owner) => new(owner, Visibility.Public, false, DateTimeOffset.UnixEpoch, []);

    private static VectorRecord Record(long id, float[] vector) => new(id, vector, Payload(Alice));

    private static List<VectorRecord> Records(float[][] vectors, int first = 0) => vectors.Select((v, i) => Record(first + i + 1, v)).ToList();

    /// <summary>recall@10 against a brute-force scan of <paramref name="data"/> (ids are index + 1).</summary>
    private static Task<double> RecallAsync(EmbeddedVectorIndex index, float[][] data, float[][] queries) =>
        RecallAsync(index, data.Select((v, i) => (Id: (long)i + 1, v)).ToDictionary(p => p.Id, p => p.v), queries);

    private static async Task<double> RecallAsync(EmbeddedVectorIndex index, Dictionary<long, float[]> data, float[][] queries)
    {
        var hits = 0;
        foreach (var query in queries)
        {
            var truth = data.OrderBy(p => TensorPrimitives.Distance(query, p.Value)).Take(10).Select(p => p.Key).ToHashSet();
            hits += (await index.SearchAsync(query, 10, null)).Count(m => truth.Contains(m.Id));
        }

        return hits / (10.0 * queries.Length);
    }

    /// <summary>Gaussian clusters in a low-dimensional subspace, like image embeddings.</summary>
    private static float[][] Clustered(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var shared = new Random(1234);
        var centres = Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)Gauss(shared) * 2).ToArray()).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var centre = centres[random.Next(centres.Length)];
            return centre.Select(c => c + (float)Gauss(random)).ToArray();
        }).ToArray();
    }

    private static double Gauss(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
