using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;
using ImageSocial.Vectors.Embedded.Hnsw;

namespace ImageSocial.Vectors.Embedded;

/// <summary>The records of the index by dense slot: ids, payloads, float32 vectors and, past the threshold, the graph.</summary>
/// <remarks>One writer at a time (the index's write lock) mutates it; searches read it without a lock. Arrays grow by copy and are
/// published before the count that makes their new slots visible; a deleted slot's payload is null.</remarks>
internal sealed class IndexState(int dimension)
{
    private volatile long[] ids = new long[16];
    private volatile VectorPayload?[] payloads = new VectorPayload?[16];
    private volatile float[]?[] heap = new float[]?[16];
    private volatile MappedVectors? mapped;
    private volatile int count;
    private volatile int live;
    private volatile HnswGraph? graph;

    public int Dimension { get; set; } = dimension;

    /// <summary>Slots in use, deleted ones included.</summary>
    public int Count => count;

    /// <summary>Records that are not deleted.</summary>
    public int Live => live;

    public HnswGraph? Graph
    {
        get => graph;
        set => graph = value;
    }

    public MappedVectors? Mapped => mapped;

    public ConcurrentDictionary<long, int> Slots { get; } = new();

    /// <summary>Free slots for reuse while there is no graph (a graph keeps deleted nodes until it is rebuilt).</summary>
    public Stack<int> Free { get; } = new();

    public long Id(int slot) => ids[slot];

    public VectorPayload? Payload(int slot)
    {
        var p = payloads;
        return slot < p.Length ? p[slot] : null;
    }

    /// <summary>The stored vector: from memory when written since the last snapshot, else from the snapshot's mapping.</summary>
    public ReadOnlySpan<float> Vector(int slot)
    {
        var h = heap;
        if (slot < h.Length && h[slot] is { } vector)
        {
            return vector;
        }

        return mapped is { } m && slot < m.Count ? m[slot] : [];
    }

    /// <summary>Stores a record in a new or reused slot.</summary>
    public int Add(long id, float[]? vector, VectorPayload payload)
    {
        if (!Free.TryPop(out var slot))
        {
            slot = count;
            Grow(slot + 1);
        }

        ids[slot] = id;
        heap[slot] = vector;
        payloads[slot] = payload;
        Slots[id] = slot;
        if (slot == count)
        {
            count = slot + 1;
        }

        live++;
        return slot;
    }

    /// <summary>Appends a deleted slot (a snapshot keeps them so slot numbers stay those of its graph).</summary>
    public int AddDeleted(long id)
    {
        var slot = count;
        Grow(slot + 1);
        ids[slot] = id;
        count = slot + 1;
        return slot;
    }

    public void Replace(int slot, float[] vector, VectorPayload payload)
    {
        heap[slot] = vector;
        payloads[slot] = payload;
    }

    public void SetPayload(int slot, VectorPayload payload) => payloads[slot] = payload;

    /// <summary>Deletes a record; its slot becomes reusable only without a graph.</summary>
    public void Remove(long id, int slot)
    {
        payloads[slot] = null;
        heap[slot] = null;
        Slots.TryRemove(id, out _);
        live--;
        if (graph is { } g)
        {
            g.MarkDeleted(slot);
        }
        else
        {
            Free.Push(slot);
        }
    }

    /// <summary>Serves the vectors of a snapshot's slots (loaded without in-memory copies) from its mapping.</summary>
    public void UseMapping(MappedVectors mapping) => mapped = mapping;

    private void Grow(int needed)
    {
        if (needed <= ids.Length)
        {
            return;
        }

        var size = Math.Max(needed, ids.Length * 2);
        var nextIds = new long[size];
        var nextPayloads = new VectorPayload?[size];
        var nextHeap = new float[]?[size];
        ids.CopyTo(nextIds, 0);
        payloads.CopyTo(nextPayloads, 0);
        heap.CopyTo(nextHeap, 0);
        (ids, payloads, heap) = (nextIds, nextPayloads, nextHeap);
    }
}

/// <summary>The float32 section of a snapshot, memory-mapped read-only: the OS pages vectors in as searches touch them.</summary>
internal sealed unsafe class MappedVectors : IDisposable
{
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly float* start;
    private readonly int dimension;

    public MappedVectors(string path, long offset, int count, int dimension)
    {
        Count = count;
        this.dimension = dimension;
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(offset, (long)count * dimension * sizeof(float), MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        start = (float*)(pointer + view.PointerOffset);
    }

    public int Count { get; }

    public ReadOnlySpan<float> this[int slot] => new(start + ((long)slot * dimension), dimension);

    public void Dispose()
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}
