using System.Runtime.InteropServices;

namespace ImageSocial.Vectors.Embedded.Hnsw;

internal sealed unsafe partial class HnswGraph
{
    /// <summary>Writes the graph of slots below <paramref name="slots"/>. The caller keeps inserts out meanwhile.</summary>
    public void Save(BinaryWriter writer, int slots)
    {
        var s = storage;
        writer.Write(m);
        writer.Write(efConstruction);
        writer.Write(innerProduct);
        writer.Write(quantizer.Dimension);
        writer.Write(quantizer.Min);
        writer.Write(quantizer.Scale);
        writer.Write(entry);
        writer.Write(maxLevel);
        writer.Write(slots);
        writer.Write(nodeCount);
        writer.Write(deletedCount);
        writer.Flush();
        var output = writer.BaseStream;
        output.Write(s.Codes.AsSpan(0, slots * stride));
        output.Write(s.Flags.AsSpan(0, slots));
        output.Write(s.Levels.AsSpan(0, slots));
        output.Write(MemoryMarshal.AsBytes(s.Sums.AsSpan(0, slots)));
        output.Write(MemoryMarshal.AsBytes(s.Links0.AsSpan(0, slots * (m0 + 1))));
        for (var i = 0; i < slots; i++)
        {
            if (s.Upper[i] is { } upper)
            {
                output.Write(MemoryMarshal.AsBytes(upper.AsSpan()));
            }
        }
    }

    /// <summary>Reads a graph written by <see cref="Save"/>, with room for <paramref name="capacity"/> slots.</summary>
    public static HnswGraph Load(BinaryReader reader, int capacity)
    {
        var m = reader.ReadInt32();
        var efConstruction = reader.ReadInt32();
        var innerProduct = reader.ReadBoolean();
        var quantizer = new Sq8Quantizer(reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle());
        var entry = reader.ReadInt32();
        var maxLevel = reader.ReadInt32();
        var slots = reader.ReadInt32();
        var graph = new HnswGraph(quantizer, innerProduct, m, efConstruction, Math.Max(capacity, slots));
        graph.nodeCount = reader.ReadInt32();
        graph.deletedCount = reader.ReadInt32();
        var s = graph.storage;
        var input = reader.BaseStream;
        input.ReadExactly(s.Codes.AsSpan(0, slots * graph.stride));
        input.ReadExactly(s.Flags.AsSpan(0, slots));
        input.ReadExactly(s.Levels.AsSpan(0, slots));
        input.ReadExactly(MemoryMarshal.AsBytes(s.Sums.AsSpan(0, slots)));
        input.ReadExactly(MemoryMarshal.AsBytes(s.Links0.AsSpan(0, slots * (graph.m0 + 1))));
        for (var i = 0; i < slots; i++)
        {
            if (s.Levels[i] > 0)
            {
                s.Upper[i] = new int[s.Levels[i] * (m + 1)];
                input.ReadExactly(MemoryMarshal.AsBytes(s.Upper[i].AsSpan()));
            }
        }

        (graph.entry, graph.maxLevel) = (entry, maxLevel);
        return graph;
    }
}
