using ImageSocial.Vectors.Embedded.Hnsw;

namespace ImageSocial.Vectors.Embedded;

public sealed partial class EmbeddedVectorIndex
{
    /// <summary>Starts the background pass when a threshold was crossed. Called under the write lock.</summary>
    private void ScheduleMaintenance()
    {
        if (maintenance.IsCompleted && NeedsMaintenance())
        {
            maintenance = Task.Run(() =>
            {
                lock (writeLock)
                {
                    try
                    {
                        if (!disposed)
                        {
                            Maintain();
                        }
                    }
                    catch (IOException)
                    {
                        // A failed snapshot loses nothing (the log still holds every record); the next write tries again.
                    }
                }
            });
        }
    }

    private bool NeedsMaintenance()
    {
        var s = state;
        return (s.Graph is null && s.Live >= hnsw.ExactScanThreshold)
            || (s.Graph is { } g && g.DeletedCount > hnsw.RepairDeletedRatio * g.NodeCount)
            || LogIsLong();
    }

    /// <summary>Whether the log has grown past <see cref="EmbeddedVectorIndexOptions.SnapshotLogBytes"/> and a quarter of the last
    /// snapshot, which bounds both the replay on open and the rewriting a growing index does.</summary>
    private bool LogIsLong() => log.Length > Math.Max(options.SnapshotLogBytes, snapshotBytes / 4);

    /// <summary>Builds or rebuilds the graph and writes a snapshot, as needed. Runs under the write lock; searches go on meanwhile.</summary>
    private void Maintain()
    {
        var s = state;
        if (s.Graph is null && s.Live >= hnsw.ExactScanThreshold)
        {
            s.Graph = BuildGraph(s);
            s.Free.Clear();
            TakeSnapshot();
        }
        else if (s.Graph is { } g && g.DeletedCount > hnsw.RepairDeletedRatio * g.NodeCount)
        {
            Repair(s);
            TakeSnapshot();
        }
        else if (LogIsLong())
        {
            TakeSnapshot();
        }
    }

    /// <summary>Inserts every live slot into a new graph, on all cores.</summary>
    private HnswGraph BuildGraph(IndexState s)
    {
        var sample = Enumerable.Range(0, s.Count).Where(i => s.Payload(i) is not null)
            .Where((_, i) => i % Math.Max(1, s.Live / 20_000) == 0).Select(i => (ReadOnlyMemory<float>)s.Vector(i).ToArray());
        var quantizer = Sq8Quantizer.Train(s.Dimension, sample);
        var graph = new HnswGraph(quantizer, metric == VectorMetric.InnerProduct, hnsw.M, hnsw.EfConstruction, s.Count + 1024);
        Parallel.For(0, s.Count, () => new byte[quantizer.PaddedDimension], (slot, _, codes) =>
        {
            if (s.Payload(slot) is not null)
            {
                quantizer.Encode(s.Vector(slot), codes);
                graph.Insert(slot, codes);
            }

            return codes;
        }, _ => { });
        return graph;
    }

    /// <summary>Rebuilds past the deleted ratio: the live records move to fresh, dense slots (which is how slots are reused under a
    /// graph), and a new graph replaces the old one in a single swap.</summary>
    private void Repair(IndexState old)
    {
        var next = new IndexState(old.Dimension);
        for (var slot = 0; slot < old.Count; slot++)
        {
            if (old.Payload(slot) is { } payload)
            {
                next.Add(old.Id(slot), old.Vector(slot).ToArray(), payload);
            }
        }

        if (next.Live >= hnsw.ExactScanThreshold)
        {
            next.Graph = BuildGraph(next);
        }

        state = next;
        if (old.Graph is { } retiredGraph)
        {
            retired.Add(retiredGraph); // a search may still be walking it
        }
    }

    private void TakeSnapshot()
    {
        Snapshot.Write(snapshotPath, state, metric, log.Generation, log.Length);
        snapshotBytes = new FileInfo(snapshotPath).Length;
        log.Rotate();
    }
}
