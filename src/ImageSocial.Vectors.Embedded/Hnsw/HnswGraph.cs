using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace ImageSocial.Vectors.Embedded.Hnsw;

/// <summary>A hierarchical navigable small-world graph (Malkov and Yashunin) over 8-bit codes, addressed by dense slot numbers.</summary>
/// <remarks>
/// Inserts run concurrently: each takes a shared lock against growth and a striped lock per neighbour list it edits. Searches take
/// no lock: they read the arrays current when they start, and a list an insert is rewriting holds only valid slot numbers, old or
/// new, because a node's codes are written before anything links to it. Deleted nodes stay in the graph as waypoints and are
/// never returned.
/// </remarks>
internal sealed unsafe partial class HnswGraph : IDisposable
{
    private const int StripeCount = 4096;
    private readonly Sq8Quantizer quantizer;
    private readonly bool innerProduct;
    private readonly int m;
    private readonly int m0;
    private readonly int efConstruction;
    private readonly int stride;
    private readonly double levelMultiplier;
    private readonly ReaderWriterLockSlim growth = new(LockRecursionPolicy.SupportsRecursion);
    private readonly Lock[] stripes = Enumerable.Range(0, StripeCount).Select(_ => new Lock()).ToArray();
    private readonly Lock entryLock = new();
    private volatile Storage storage;
    private volatile int entry = -1;
    private volatile int maxLevel = -1;
    private int nodeCount;
    private int deletedCount;

    public HnswGraph(Sq8Quantizer quantizer, bool innerProduct, int m, int efConstruction, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 2);
        this.quantizer = quantizer;
        this.innerProduct = innerProduct;
        this.m = m;
        m0 = 2 * m;
        this.efConstruction = Math.Max(efConstruction, m);
        stride = quantizer.PaddedDimension;
        levelMultiplier = 1 / Math.Log(m);
        storage = new Storage(Math.Max(capacity, 16), stride, m0);
    }

    public int M => m;

    public int EfConstruction => efConstruction;

    public Sq8Quantizer Quantizer => quantizer;

    /// <summary>The nodes in the graph, deleted ones included.</summary>
    public int NodeCount => Volatile.Read(ref nodeCount);

    public int DeletedCount => Volatile.Read(ref deletedCount);

    /// <summary>Bytes held by codes, links and per-node state.</summary>
    public long MemoryBytes
    {
        get
        {
            var s = storage;
            long upper = 0;
            foreach (var list in s.Upper)
            {
                upper += list is null ? 0 : (list.Length * sizeof(int)) + 24;
            }

            return s.Codes.LongLength + (s.Links0.LongLength * sizeof(int)) + upper + (s.Upper.LongLength * IntPtr.Size) + s.Levels.LongLength + s.Flags.LongLength + (s.Sums.LongLength * sizeof(int));
        }
    }

    /// <summary>Makes room for slots below <paramref name="capacity"/>.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity <= storage.Capacity)
        {
            return;
        }

        growth.EnterWriteLock();
        try
        {
            if (capacity > storage.Capacity)
            {
                storage = storage.Grow(Math.Max(capacity, storage.Capacity * 2), stride, m0);
            }
        }
        finally
        {
            growth.ExitWriteLock();
        }
    }

    /// <summary>Adds a node; <paramref name="codes"/> has <see cref="Sq8Quantizer.PaddedDimension"/> bytes. Safe to call from many threads
    /// for different slots.</summary>
    public void Insert(int slot, ReadOnlySpan<byte> codes)
    {
        EnsureCapacity(slot + 1);
        growth.EnterReadLock();
        try
        {
            InsertCore(slot, codes);
        }
        finally
        {
            growth.ExitReadLock();
        }
    }

    /// <summary>Marks a node deleted: it keeps routing searches but is never returned.</summary>
    public void MarkDeleted(int slot)
    {
        growth.EnterReadLock();
        try
        {
            var s = storage;
            if (slot < s.Capacity && s.Flags[slot] == NodeState.Live)
            {
                s.Flags[slot] = NodeState.Deleted;
                Interlocked.Increment(ref deletedCount);
            }
        }
        finally
        {
            growth.ExitReadLock();
        }
    }

    public bool IsLive(int slot)
    {
        var s = storage;
        return slot < s.Capacity && s.Flags[slot] == NodeState.Live;
    }

    public void Dispose() => growth.Dispose();

    private static class NodeState
    {
        public const byte Empty = 0;
        public const byte Live = 1;
        public const byte Deleted = 2;
    }

    /// <summary>The arrays of one capacity. Codes and level-0 links are pinned so the hot loops use pointers.</summary>
    private sealed class Storage
    {
        public Storage(int capacity, int stride, int m0)
        {
            Capacity = capacity;
            Codes = GC.AllocateArray<byte>(capacity * stride, pinned: true);
            Links0 = GC.AllocateArray<int>(capacity * (m0 + 1), pinned: true);
            Upper = new int[]?[capacity];
            Levels = new byte[capacity];
            Flags = new byte[capacity];
            Sums = new int[capacity];
            CodesPtr = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Codes));
            LinksPtr = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Links0));
        }

        public int Capacity { get; }

        public byte[] Codes { get; }

        public int[] Links0 { get; }

        public int[]?[] Upper { get; }

        public byte[] Levels { get; }

        public byte[] Flags { get; }

        public int[] Sums { get; }

        public byte* CodesPtr { get; }

        public int* LinksPtr { get; }

        public Storage Grow(int capacity, int stride, int m0)
        {
            var next = new Storage(capacity, stride, m0);
            Codes.CopyTo(next.Codes, 0);
            Links0.CopyTo(next.Links0, 0);
            Upper.CopyTo(next.Upper, 0);
            Levels.CopyTo(next.Levels, 0);
            Flags.CopyTo(next.Flags, 0);
            Sums.CopyTo(next.Sums, 0);
            return next;
        }
    }
}
