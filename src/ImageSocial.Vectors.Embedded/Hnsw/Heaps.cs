using System.Runtime.CompilerServices;

namespace ImageSocial.Vectors.Embedded.Hnsw;

/// <summary>Which pair a heap keeps on top; a type parameter so the JIT compiles each order without a branch.</summary>
internal interface IHeapOrder
{
    static abstract bool Before(float a, float b);

    static abstract bool Ascending { get; }
}

/// <summary>Nearest on top.</summary>
internal readonly struct Nearest : IHeapOrder
{
    public static bool Before(float a, float b) => a < b;

    public static bool Ascending => true;
}

/// <summary>Farthest on top.</summary>
internal readonly struct Farthest : IHeapOrder
{
    public static bool Before(float a, float b) => a > b;

    public static bool Ascending => false;
}

/// <summary>A binary heap of (distance, node) pairs. Reused across searches by one thread; cheaper than PriorityQueue in the hot loop.</summary>
internal sealed class NodeHeap<TOrder>
    where TOrder : struct, IHeapOrder
{
    private float[] dist = new float[64];
    private int[] node = new int[64];

    public int Count { get; private set; }

    public float TopDistance => dist[0];

    public int TopNode => node[0];

    public void Clear() => Count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float d, int n)
    {
        if (Count == dist.Length)
        {
            Array.Resize(ref dist, Count * 2);
            Array.Resize(ref node, Count * 2);
        }

        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Before(d, dist[parent]))
            {
                break;
            }

            dist[i] = dist[parent];
            node[i] = node[parent];
            i = parent;
        }

        dist[i] = d;
        node[i] = n;
    }

    public void Pop()
    {
        var last = --Count;
        if (last == 0)
        {
            return;
        }

        var d = dist[last];
        var n = node[last];
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= last)
            {
                break;
            }

            if (child + 1 < last && Before(dist[child + 1], dist[child]))
            {
                child++;
            }

            if (!Before(dist[child], d))
            {
                break;
            }

            dist[i] = dist[child];
            node[i] = node[child];
            i = child;
        }

        dist[i] = d;
        node[i] = n;
    }

    /// <summary>Empties the heap into <paramref name="target"/>, ascending by distance.</summary>
    public void DrainSorted(List<(float Distance, int Node)> target)
    {
        target.Clear();
        while (Count > 0)
        {
            target.Add((dist[0], node[0]));
            Pop();
        }

        if (!TOrder.Ascending)
        {
            target.Reverse();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(float a, float b) => TOrder.Before(a, b);
}

/// <summary>Marks of visited nodes for one search, cleared in O(1) by bumping an epoch.</summary>
internal sealed class VisitedSet
{
    private int[] marks = [];
    private int epoch;

    public void Reset(int capacity)
    {
        if (marks.Length < capacity)
        {
            marks = new int[Math.Max(capacity, marks.Length * 2)];
            epoch = 0;
        }

        if (++epoch == int.MaxValue)
        {
            Array.Clear(marks);
            epoch = 1;
        }
    }

    /// <summary>Marks a node; false when it was already marked in this search.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(int node)
    {
        ref var mark = ref marks[node];
        if (mark == epoch)
        {
            return false;
        }

        mark = epoch;
        return true;
    }
}
