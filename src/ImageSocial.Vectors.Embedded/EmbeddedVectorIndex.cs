using System.Numerics.Tensors;
using ImageSocial.Vectors.Embedded.Hnsw;
using Microsoft.Extensions.Options;

namespace ImageSocial.Vectors.Embedded;

/// <summary>An in-process <see cref="IVectorIndex"/>: an exact SIMD scan for small collections and, past
/// <see cref="HnswOptions.ExactScanThreshold"/>, an HNSW graph over 8-bit codes with a float32 rerank; filters are applied during
/// the traversal, or by an exact scan when they are selective. Durable through an append-only log plus snapshots.</summary>
/// <remarks>Thread-safe. Searches take no lock and never wait for writes. Writes are serialized; building the graph, rebuilding it
/// past <see cref="HnswOptions.RepairDeletedRatio"/> deletions and writing snapshots run in the background and hold writes (not
/// searches) while they run.</remarks>
public sealed partial class EmbeddedVectorIndex : IVectorIndex, IDisposable
{
    /// <summary>The largest dimension accepted (integer code distances cannot overflow below it).</summary>
    public const int MaxDimension = 4096;

    private readonly EmbeddedVectorIndexOptions options;
    private readonly HnswOptions hnsw;
    private readonly VectorMetric metric;
    private readonly string snapshotPath;
    private readonly Lock writeLock = new();
    private readonly List<IDisposable> retired = [];
    private readonly VectorLog log;
    private volatile IndexState state;
    private Task maintenance = Task.CompletedTask;
    private long snapshotBytes;
    private bool disposed;

    /// <summary>Opens the index: maps the snapshot when there is one, then replays the log written after it.</summary>
    /// <param name="options">Where the log lives, the metric and the graph's parameters.</param>
    public EmbeddedVectorIndex(IOptions<EmbeddedVectorIndexOptions> options)
        : this(Unwrap(options), Unwrap(options).LogPath ?? Path.Combine(Unwrap(options).Directory, "index.log"))
    {
    }

    /// <summary>Opens the index whose log is <paramref name="logPath"/> (one embedding space's).</summary>
    internal EmbeddedVectorIndex(EmbeddedVectorIndexOptions options, string logPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        hnsw = this.options.Hnsw;
        metric = this.options.Metric;
        snapshotPath = Path.ChangeExtension(Path.GetFullPath(logPath), ".snapshot");
        long generation = 0, covered = 0;
        if (File.Exists(snapshotPath))
        {
            IndexState loaded;
            (loaded, generation, covered) = Snapshot.Read(snapshotPath, metric);
            snapshotBytes = new FileInfo(snapshotPath).Length;
            state = loaded;
            if (loaded.Mapped is { } mapping)
            {
                retired.Add(mapping);
            }
        }
        else
        {
            state = new IndexState(0);
        }

        log = VectorLog.Open(logPath, this.options.DurableWrites, generation, covered, r => ApplyUpsert(Prepare(r)), ApplyPayload, ApplyDelete);
        lock (writeLock)
        {
            Maintain();
        }
    }

    private static EmbeddedVectorIndexOptions Unwrap(IOptions<EmbeddedVectorIndexOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }

    /// <summary>Whether searches use the graph (the collection reached <see cref="HnswOptions.ExactScanThreshold"/>).</summary>
    internal bool UsesGraph => state.Graph is not null;

    /// <summary>The graph's node and tombstone counts (zero without a graph).</summary>
    internal (int Nodes, int Deleted) GraphSize => state.Graph is { } g ? (g.NodeCount, g.DeletedCount) : (0, 0);

    /// <inheritdoc />
    public Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        VectorTelemetry.Upsert(records.Count, () => Upsert(records));
        return Task.CompletedTask;
    }

    private void Upsert(IReadOnlyList<VectorRecord> records)
    {
        var prepared = records.Select(Prepare).ToList();
        lock (writeLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var dimension = state.Dimension;
            foreach (var record in prepared)
            {
                if ((dimension != 0 && record.Vector.Length != dimension) || record.Vector.Length != prepared[0].Vector.Length)
                {
                    throw new ValidationException($"The vector has {record.Vector.Length} dimensions; this index holds {(dimension == 0 ? prepared[0].Vector.Length : dimension)}.")
                    {
                        ParameterName = nameof(records),
                    };
                }
            }

            log.AppendUpserts(prepared);
            var added = new List<int>(prepared.Count);
            foreach (var record in prepared)
            {
                if (ApplyUpsert(record, linkNow: false) is { } slot)
                {
                    added.Add(slot);
                }
            }

            LinkIntoGraph(state, added);
            ScheduleMaintenance();
        }
    }

    /// <inheritdoc />
    public Task<bool> UpdatePayloadAsync(long id, VectorPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        lock (writeLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!state.Slots.ContainsKey(id))
            {
                return Task.FromResult(false);
            }

            log.AppendPayload(id, payload);
            ApplyPayload(id, payload);
            ScheduleMaintenance();
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (writeLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var present = ids.Distinct().Where(state.Slots.ContainsKey).ToList();
            if (present.Count > 0)
            {
                log.AppendDeletes(present);
                present.ForEach(ApplyDelete);
                ScheduleMaintenance();
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<VectorRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var s = state;
        return Task.FromResult(s.Slots.TryGetValue(id, out var slot) && s.Payload(slot) is { } payload
            ? new VectorRecord(id, s.Vector(slot).ToArray(), payload)
            : null);
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult((long)state.Live);

    /// <summary>Completes when background work (graph build, repair, snapshot) scheduled so far has finished.</summary>
    internal Task WaitForMaintenanceAsync()
    {
        lock (writeLock)
        {
            return maintenance;
        }
    }

    /// <summary>Writes a snapshot when the log holds records, so the next open replays nothing, and releases the files.</summary>
    public void Dispose()
    {
        Task pending;
        lock (writeLock)
        {
            pending = maintenance;
        }

        pending.Wait();
        lock (writeLock)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            try
            {
                if (log.HasRecords)
                {
                    TakeSnapshot();
                }
            }
            catch (IOException)
            {
                // The log still holds every record; the next open replays it.
            }

            log.Dispose();
            state.Graph?.Dispose();
            retired.ForEach(r => r.Dispose());
        }
    }

    /// <summary>Stores a record; returns its slot when it still has to be linked into the graph (with <paramref name="linkNow"/> false).</summary>
    private int? ApplyUpsert(VectorRecord record, bool linkNow = true)
    {
        var s = state;
        s.Dimension = record.Vector.Length;
        var vector = record.Vector.ToArray();
        if (s.Slots.TryGetValue(record.Id, out var slot))
        {
            if (s.Graph is null)
            {
                s.Replace(slot, vector, record.Payload);
                return null;
            }

            s.Remove(record.Id, slot); // a graph node cannot move: the old one becomes a tombstone
        }

        slot = s.Add(record.Id, vector, record.Payload);
        if (s.Graph is null)
        {
            return null;
        }

        if (linkNow)
        {
            LinkIntoGraph(s, [slot]);
            return null;
        }

        return slot;
    }

    /// <summary>Inserts new slots into the graph, a batch on all cores (the graph takes concurrent inserts).</summary>
    private static void LinkIntoGraph(IndexState s, List<int> slots)
    {
        if (s.Graph is not { } graph || slots.Count == 0)
        {
            return;
        }

        var quantizer = graph.Quantizer;
        graph.EnsureCapacity(slots.Max() + 1);
        Parallel.For(0, slots.Count, new ParallelOptions { MaxDegreeOfParallelism = slots.Count < 64 ? 1 : -1 }, () => new byte[quantizer.PaddedDimension], (i, _, codes) =>
        {
            if (s.Payload(slots[i]) is not null) // not replaced again later in the same batch
            {
                quantizer.Encode(s.Vector(slots[i]), codes);
                graph.Insert(slots[i], codes);
            }

            return codes;
        }, _ => { });
    }

    private void ApplyPayload(long id, VectorPayload payload)
    {
        var s = state;
        if (s.Slots.TryGetValue(id, out var slot))
        {
            s.SetPayload(slot, payload);
        }
    }

    private void ApplyDelete(long id)
    {
        var s = state;
        if (s.Slots.TryGetValue(id, out var slot))
        {
            s.Remove(id, slot);
        }
    }

    private VectorRecord Prepare(VectorRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var span = record.Vector.Span;
        if (span.Length is 0 or > MaxDimension)
        {
            throw new ValidationException($"A vector must have 1 to {MaxDimension} dimensions.") { ParameterName = "records" };
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
}
