using System.Runtime.InteropServices;
using System.Text;
using ImageSocial.Vectors.Embedded.Hnsw;

namespace ImageSocial.Vectors.Embedded;

/// <summary>A point-in-time image of the index: records, float32 vectors (64-byte aligned, memory-mapped on open) and the graph.</summary>
/// <remarks>Written to a temporary file, flushed to disk and renamed over the previous one, so a crash leaves the old or the new snapshot,
/// never a torn one. It names the log generation and length it covers; opening replays only what came after.</remarks>
internal static class Snapshot
{
    private static readonly byte[] Magic = "ISVSNAP1"u8.ToArray();

    public static void Write(string path, IndexState state, VectorMetric metric, long logGeneration, long logLength)
    {
        var temporary = path + ".tmp";
        var count = state.Count;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write((int)metric);
            writer.Write(state.Dimension);
            writer.Write(count);
            writer.Write(logGeneration);
            writer.Write(logLength);
            writer.Write(state.Graph is not null);
            var offsets = stream.Position;
            writer.Write(0L);
            writer.Write(0L);
            for (var slot = 0; slot < count; slot++)
            {
                writer.Write(state.Id(slot));
                var payload = state.Payload(slot);
                writer.Write(payload is not null);
                if (payload is not null)
                {
                    VectorLog.WritePayload(writer, payload);
                }
            }

            writer.Flush();
            var floats = (stream.Position + 63) / 64 * 64;
            stream.Write(new byte[floats - stream.Position]);
            var zeros = new float[state.Dimension];
            for (var slot = 0; slot < count; slot++)
            {
                var vector = state.Payload(slot) is null ? zeros : state.Vector(slot);
                stream.Write(MemoryMarshal.AsBytes(vector.Length == state.Dimension ? vector : zeros));
            }

            var graph = stream.Position;
            state.Graph?.Save(writer, count);
            writer.Flush();
            stream.Position = offsets;
            writer.Write(floats);
            writer.Write(graph);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a snapshot into a new state whose vectors are served from the file's mapping.</summary>
    public static (IndexState State, long LogGeneration, long LogLength) Read(string path, VectorMetric metric)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path} is not an ImageSocial vector snapshot.");
        }

        if ((VectorMetric)reader.ReadInt32() != metric)
        {
            throw new InvalidOperationException($"The snapshot {path} was written with another metric than the configured {metric}.");
        }

        var state = new IndexState(reader.ReadInt32());
        var count = reader.ReadInt32();
        var generation = reader.ReadInt64();
        var length = reader.ReadInt64();
        var hasGraph = reader.ReadBoolean();
        var floats = reader.ReadInt64();
        var graph = reader.ReadInt64();
        var deleted = new List<int>();
        for (var slot = 0; slot < count; slot++)
        {
            var id = reader.ReadInt64();
            if (reader.ReadBoolean())
            {
                state.Add(id, null, VectorLog.ReadPayload(reader));
            }
            else
            {
                deleted.Add(state.AddDeleted(id));
            }
        }

        if (count > 0 && state.Dimension > 0)
        {
            state.UseMapping(new MappedVectors(path, floats, count, state.Dimension));
        }

        if (hasGraph)
        {
            stream.Position = graph;
            state.Graph = HnswGraph.Load(reader, count);
        }
        else
        {
            deleted.ForEach(state.Free.Push);
        }

        return (state, generation, length);
    }
}
