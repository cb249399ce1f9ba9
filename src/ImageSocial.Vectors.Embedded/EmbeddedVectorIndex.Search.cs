using System.Numerics.Tensors;
using ImageSocial.Vectors.Embedded.Hnsw;

namespace ImageSocial.Vectors.Embedded;

public sealed partial class EmbeddedVectorIndex
{
    private const int EstimateSample = 512;

    [ThreadStatic]
    private static List<(float Distance, int Node)>? candidates;

    /// <inheritdoc />
    public Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, int k, VectorFilter? filter, CancellationToken cancellationToken = default) =>
        Task.FromResult(VectorTelemetry.Search(k, filter is not null, () => Search(query, k, filter, cancellationToken)));

    private IReadOnlyList<VectorMatch> Search(ReadOnlyMemory<float> query, int k, VectorFilter? filter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var s = state;
        var q = metric == VectorMetric.Cosine ? Normalized(query.Span) : query.ToArray();
        if (s.Dimension != 0 && q.Length != s.Dimension)
        {
            throw new ValidationException($"The query has {q.Length} dimensions; this index holds {s.Dimension}.") { ParameterName = nameof(query) };
        }

        IReadOnlyList<VectorMatch> result;
        if (s.Graph is not { } graph || (filter is not null && EstimateMatches(s, filter) < hnsw.FilteredExactThreshold))
        {
            result = ExactScan(s, q, k, filter, cancellationToken);
        }
        else
        {
            result = GraphSearch(s, graph, q, k, filter);
            if (filter is not null && result.Count < k)
            {
                result = ExactScan(s, q, k, filter, cancellationToken); // the filter passed fewer nodes than the walk reached
            }
        }

        return result;
    }

    private VectorMatch[] GraphSearch(IndexState s, HnswGraph graph, float[] query, int k, VectorFilter? filter)
    {
        var codes = new byte[graph.Quantizer.PaddedDimension];
        graph.Quantizer.Encode(query, codes);
        var found = candidates ??= [];
        Func<int, bool>? allow = filter is null ? null : slot => s.Payload(slot) is { } p && filter.Matches(s.Id(slot), p);
        var rerank = hnsw.RerankFactor == 0 ? k : Math.Max(k, hnsw.RerankFactor * k);
        graph.Search(codes, Math.Max(hnsw.EfSearch, rerank), allow, found);

        var scored = new List<VectorMatch>(Math.Min(rerank, found.Count));
        for (var i = 0; i < found.Count && scored.Count < rerank; i++)
        {
            var slot = found[i].Node;
            var vector = s.Vector(slot);
            if (s.Payload(slot) is null || vector.Length != query.Length)
            {
                continue; // deleted since the walk
            }

            scored.Add(new VectorMatch(s.Id(slot), hnsw.RerankFactor == 0 ? ApproximateScore(graph.Quantizer, found[i].Distance) : Score(query, vector)));
        }

        scored.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        return [.. scored.Take(k)];
    }

    private VectorMatch[] ExactScan(IndexState s, float[] query, int k, VectorFilter? filter, CancellationToken cancellationToken)
    {
        var best = new PriorityQueue<long, float>(k + 1);
        var count = s.Count;
        for (var slot = 0; slot < count; slot++)
        {
            if ((slot & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (s.Payload(slot) is not { } payload || (filter is not null && !filter.Matches(s.Id(slot), payload)))
            {
                continue;
            }

            var vector = s.Vector(slot);
            if (vector.Length != query.Length)
            {
                continue;
            }

            var score = Score(query, vector);
            if (best.Count < k)
            {
                best.Enqueue(s.Id(slot), score);
            }
            else if (best.TryPeek(out _, out var worst) && score > worst)
            {
                best.DequeueEnqueue(s.Id(slot), score);
            }
        }

        var result = new VectorMatch[best.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var id, out var score);
            result[i] = new VectorMatch(id, score);
        }

        return result;
    }

    /// <summary>How many live records pass the filter, from an evenly spaced sample of slots.</summary>
    private static double EstimateMatches(IndexState s, VectorFilter filter)
    {
        var count = s.Count;
        if (count == 0)
        {
            return 0;
        }

        var step = Math.Max(1, count / EstimateSample);
        int seen = 0, passed = 0;
        for (var slot = Random.Shared.Next(step); slot < count; slot += step)
        {
            seen++;
            if (s.Payload(slot) is { } p && filter.Matches(s.Id(slot), p))
            {
                passed++;
            }
        }

        return seen == 0 ? 0 : (double)passed / seen * count;
    }

    private float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector) => metric switch
    {
        VectorMetric.L2 => -SquaredDistance(query, vector),
        _ => TensorPrimitives.Dot(query, vector),
    };

    /// <summary>The score from the code distance alone (no rerank): cosine is 1 − d²/2 on unit vectors.</summary>
    private float ApproximateScore(Sq8Quantizer quantizer, float distance) => metric switch
    {
        VectorMetric.L2 => -quantizer.SquaredDistance((int)distance),
        VectorMetric.Cosine => 1 - (quantizer.SquaredDistance((int)distance) / 2),
        _ => -distance,
    };

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var d = TensorPrimitives.Distance(a, b);
        return d * d;
    }
}
