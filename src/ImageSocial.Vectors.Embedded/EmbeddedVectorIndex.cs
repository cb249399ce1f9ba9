using System.Numerics.Tensors;
using Microsoft.Extensions.Options;

namespace ImageSocial.Vectors.Embedded;

/// <summary>An in-process <see cref="IVectorIndex"/>: exact top-k with SIMD kernels, the filter evaluated during the scan, and an append-only log that survives restarts.</summary>
/// <remarks>Thread-safe: searches share a read lock, writes take the write lock only to apply an already-logged change.</remarks>
public sealed class EmbeddedVectorIndex : IVectorIndex, IDisposable
{
    private readonly ReaderWriterLockSlim gate = new();
    private readonly Dictionary<long, int> slots = [];
    private readonly List<long> ids = [];
    private readonly List<float[]> vectors = [];
    private readonly List<VectorPayload?> payloads = [];
    private readonly Stack<int> free = new();
    private readonly VectorMetric metric;
    private readonly VectorLog log;
    private readonly Lock writeLock = new();
    private int dimension;

    /// <summary>Opens the index, replaying its log.</summary>
    /// <param name="options">Where the log lives and which metric to use.</param>
    public EmbeddedVectorIndex(IOptions<EmbeddedVectorIndexOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        metric = options.Value.Metric;
        log = VectorLog.Open(options.Value.LogPath, options.Value.DurableWrites, r => Apply(Prepare(r)), ApplyPayload, ApplyDelete);
    }

    /// <inheritdoc />
    public Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        var prepared = records.Select(Prepare).ToList();
        lock (writeLock)
        {
            foreach (var record in prepared)
            {
                if (dimension != 0 && record.Vector.Length != dimension)
                {
                    throw new ValidationException($"The vector has {record.Vector.Length} dimensions; this index holds {dimension}.") { ParameterName = nameof(records) };
                }
            }

            log.AppendUpserts(prepared);
            foreach (var record in prepared)
            {
                Apply(record);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> UpdatePayloadAsync(long id, VectorPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        lock (writeLock)
        {
            if (!Contains(id))
            {
                return Task.FromResult(false);
            }

            log.AppendPayload(id, payload);
            ApplyPayload(id, payload);
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (writeLock)
        {
            var present = ids.Where(Contains).ToList();
            if (present.Count > 0)
            {
                log.AppendDeletes(present);
                present.ForEach(ApplyDelete);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<VectorRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        gate.EnterReadLock();
        try
        {
            return Task.FromResult(slots.TryGetValue(id, out var slot) ? new VectorRecord(id, vectors[slot], payloads[slot]!) : null);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, int k, VectorFilter? filter, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var q = metric == VectorMetric.Cosine ? Normalized(query.Span) : query.ToArray();
        var best = new PriorityQueue<long, float>(k + 1);
        gate.EnterReadLock();
        try
        {
            if (dimension != 0 && q.Length != dimension)
            {
                throw new ValidationException($"The query has {q.Length} dimensions; this index holds {dimension}.") { ParameterName = nameof(query) };
            }

            for (var slot = 0; slot < ids.Count; slot++)
            {
                if ((slot & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (payloads[slot] is not { } payload || (filter is not null && !filter.Matches(ids[slot], payload)))
                {
                    continue;
                }

                var score = Score(q, vectors[slot]);
                if (best.Count < k)
                {
                    best.Enqueue(ids[slot], score);
                }
                else if (best.TryPeek(out _, out var worst) && score > worst)
                {
                    best.DequeueEnqueue(ids[slot], score);
                }
            }
        }
        finally
        {
            gate.ExitReadLock();
        }

        var result = new VectorMatch[best.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var id, out var score);
            result[i] = new VectorMatch(id, score);
        }

        return Task.FromResult<IReadOnlyList<VectorMatch>>(result);
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        gate.EnterReadLock();
        try
        {
            return Task.FromResult((long)slots.Count);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        log.Dispose();
        gate.Dispose();
    }

    private float Score(float[] query, float[] vector) => metric switch
    {
        VectorMetric.L2 => -SquaredDistance(query, vector),
        _ => TensorPrimitives.Dot(query, vector),
    };

    private static float SquaredDistance(float[] a, float[] b)
    {
        var d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    private VectorRecord Prepare(VectorRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var span = record.Vector.Span;
        if (span.Length is 0 or > 65536)
        {
            throw new ValidationException("A vector must have 1 to 65536 dimensions.") { ParameterName = "records" };
        }

        foreach (var value in span)
        {
            if (!float.IsFinite(value))
            {
                throw new ValidationException("A vector holds a value that is not finite.") { ParameterName = "records" };
            }
        }

        return record with { Vector = metric == VectorMetric.Cosine ? Normalized(span) : span.ToArray() };
    }

    private static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }

    private bool Contains(long id)
    {
        gate.EnterReadLock();
        try
        {
            return slots.ContainsKey(id);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    private void Apply(VectorRecord record)
    {
        gate.EnterWriteLock();
        try
        {
            dimension = record.Vector.Length;
            var vector = record.Vector.ToArray();
            if (slots.TryGetValue(record.Id, out var slot))
            {
                vectors[slot] = vector;
                payloads[slot] = record.Payload;
                return;
            }

            if (free.TryPop(out slot))
            {
                ids[slot] = record.Id;
                vectors[slot] = vector;
                payloads[slot] = record.Payload;
            }
            else
            {
                slot = ids.Count;
                ids.Add(record.Id);
                vectors.Add(vector);
                payloads.Add(record.Payload);
            }

            slots[record.Id] = slot;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private void ApplyPayload(long id, VectorPayload payload)
    {
        gate.EnterWriteLock();
        try
        {
            if (slots.TryGetValue(id, out var slot))
            {
                payloads[slot] = payload;
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private void ApplyDelete(long id)
    {
        gate.EnterWriteLock();
        try
        {
            if (slots.Remove(id, out var slot))
            {
                payloads[slot] = null;
                vectors[slot] = [];
                free.Push(slot);
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }
}
