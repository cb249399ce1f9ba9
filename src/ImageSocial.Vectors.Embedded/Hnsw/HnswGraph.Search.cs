using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ImageSocial.Vectors.Embedded.Hnsw;

internal sealed unsafe partial class HnswGraph
{
    [ThreadStatic]
    private static SearchScratch? scratch;

    /// <summary>The approximate nearest live nodes that <paramref name="allow"/> accepts, ascending by code distance.</summary>
    /// <param name="query">The query's codes (<see cref="Sq8Quantizer.PaddedDimension"/> bytes).</param>
    /// <param name="ef">The candidate list size: larger is slower and finds more of the true neighbours.</param>
    /// <param name="allow">A filter evaluated during the traversal, or <see langword="null"/>.</param>
    /// <param name="result">Receives up to <paramref name="ef"/> (distance, slot) pairs.</param>
    public void Search(ReadOnlySpan<byte> query, int ef, Func<int, bool>? allow, List<(float Distance, int Node)> result)
    {
        result.Clear();
        var s = storage;
        var start = entry;
        if (start < 0)
        {
            return;
        }

        var work = scratch ??= new SearchScratch();
        fixed (byte* q = query)
        {
            var querySum = innerProduct ? Sum(q) : 0;
            var current = start;
            var currentDistance = Distance(s, q, querySum, current);
            for (var level = maxLevel; level > 0; level--)
            {
                (current, currentDistance) = Greedy(s, q, querySum, current, currentDistance, level);
            }

            SearchLayer(s, q, querySum, current, 0, ef, allow, work, filtered: true);
            work.Top.DrainSorted(result);
        }
    }

    private void InsertCore(int slot, ReadOnlySpan<byte> codes)
    {
        var s = storage;
        var level = LevelOf(slot);
        var target = s.CodesPtr + ((long)slot * stride);
        codes.CopyTo(new Span<byte>(target, stride));
        var sum = innerProduct ? Sum(target) : 0;
        s.Sums[slot] = sum;
        s.Levels[slot] = (byte)level;
        s.Upper[slot] = level > 0 ? new int[level * (m + 1)] : null;
        s.LinksPtr[(long)slot * (m0 + 1)] = 0;
        s.Flags[slot] = NodeState.Live;
        Interlocked.Increment(ref nodeCount);

        int start, top;
        lock (entryLock)
        {
            (start, top) = (entry, maxLevel);
            if (start < 0)
            {
                (entry, maxLevel) = (slot, level);
                return;
            }
        }

        var work = scratch ??= new SearchScratch();
        var current = start;
        var currentDistance = Distance(s, target, sum, current);
        for (var l = top; l > level; l--)
        {
            (current, currentDistance) = Greedy(s, target, sum, current, currentDistance, l);
        }

        for (var l = Math.Min(level, top); l >= 0; l--)
        {
            SearchLayer(s, target, sum, current, l, efConstruction, null, work, filtered: false);
            work.Top.DrainSorted(work.Candidates);
            current = work.Candidates[0].Node;
            SelectNeighbours(s, work.Candidates, m, work.Selected);
            Connect(s, slot, l, work.Selected);
        }

        if (level > top)
        {
            lock (entryLock)
            {
                if (level > maxLevel)
                {
                    (entry, maxLevel) = (slot, level);
                }
            }
        }
    }

    /// <summary>Writes the new node's list at a level, then adds it to each neighbour's list, pruning a full one by the heuristic.</summary>
    private void Connect(Storage s, int slot, int level, List<(float Distance, int Node)> neighbours)
    {
        lock (stripes[slot % StripeCount])
        {
            var own = Links(s, slot, level);
            for (var i = 0; i < neighbours.Count; i++)
            {
                own[i + 1] = neighbours[i].Node;
            }

            Volatile.Write(ref own[0], neighbours.Count);
        }

        var capacity = level == 0 ? m0 : m;
        var work = scratch!;
        foreach (var (distance, neighbour) in neighbours)
        {
            lock (stripes[neighbour % StripeCount])
            {
                var list = Links(s, neighbour, level);
                var count = list[0];
                if (count < capacity)
                {
                    list[count + 1] = slot;
                    Volatile.Write(ref list[0], count + 1);
                    continue;
                }

                var candidates = work.Prune;
                candidates.Clear();
                candidates.Add((distance, slot));
                var from = s.CodesPtr + ((long)neighbour * stride);
                for (var i = 1; i <= count; i++)
                {
                    candidates.Add((Distance(s, from, s.Sums[neighbour], list[i]), list[i]));
                }

                candidates.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
                SelectNeighbours(s, candidates, capacity, work.PruneSelected);
                for (var i = 0; i < work.PruneSelected.Count; i++)
                {
                    list[i + 1] = work.PruneSelected[i].Node;
                }

                Volatile.Write(ref list[0], work.PruneSelected.Count);
            }
        }
    }

    /// <summary>The heuristic of the HNSW paper: keep a candidate only if it is nearer to the base than to every one kept so far,
    /// which spreads the links over directions instead of crowding one cluster.</summary>
    private void SelectNeighbours(Storage s, List<(float Distance, int Node)> ascending, int limit, List<(float Distance, int Node)> selected)
    {
        selected.Clear();
        foreach (var candidate in ascending)
        {
            if (selected.Count >= limit)
            {
                break;
            }

            var from = s.CodesPtr + ((long)candidate.Node * stride);
            var sum = s.Sums[candidate.Node];
            var keep = true;
            foreach (var chosen in selected)
            {
                if (Distance(s, from, sum, chosen.Node) < candidate.Distance)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                selected.Add(candidate);
            }
        }
    }

    private (int Node, float Distance) Greedy(Storage s, byte* q, int querySum, int current, float currentDistance, int level)
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            var list = Links(s, current, level);
            var count = Volatile.Read(ref list[0]);
            for (var i = 1; i <= count; i++)
            {
                var candidate = list[i];
                var d = Distance(s, q, querySum, candidate);
                if (d < currentDistance)
                {
                    (current, currentDistance, changed) = (candidate, d, true);
                }
            }
        }

        return (current, currentDistance);
    }

    /// <summary>Best-first search of one level. With <paramref name="filtered"/>, only live nodes that <paramref name="allow"/> accepts enter
    /// the result heap, while every node may still be expanded.</summary>
    private void SearchLayer(Storage s, byte* q, int querySum, int start, int level, int ef, Func<int, bool>? allow, SearchScratch work, bool filtered)
    {
        var visited = work.Visited;
        var candidates = work.Frontier;
        var top = work.Top;
        visited.Reset(s.Capacity);
        candidates.Clear();
        top.Clear();

        var d = Distance(s, q, querySum, start);
        visited.Add(start);
        candidates.Push(d, start);
        var bound = float.MaxValue;
        if (!filtered || Accept(s, start, allow))
        {
            top.Push(d, start);
            bound = d;
        }

        var linkStride = m0 + 1;
        var pending = stackalloc int[linkStride];
        while (candidates.Count > 0)
        {
            var (cd, c) = (candidates.TopDistance, candidates.TopNode);
            if (cd > bound && top.Count >= ef)
            {
                break;
            }

            candidates.Pop();
            int* list;
            int count;
            if (level == 0)
            {
                list = s.LinksPtr + ((long)c * linkStride);
                count = Math.Min(Volatile.Read(ref *list), m0);
            }
            else
            {
                var upper = s.Upper[c]!;
                fixed (int* u = &upper[(level - 1) * (m + 1)])
                {
                    list = u;
                    count = Volatile.Read(ref *u);
                    ExpandUpper(s, q, querySum, list, count, ef, allow, work, filtered, ref bound);
                    continue;
                }
            }

            // Mark the unvisited neighbours first and ask for their first cache line; then, while scoring one, fetch all of the next.
            var waiting = 0;
            for (var i = 1; i <= count; i++)
            {
                var n = list[i];
                if (visited.Add(n))
                {
                    pending[waiting++] = n;
                    Prefetch(s.CodesPtr + ((long)n * stride), stride);
                }
            }

            for (var j = 0; j < waiting; j++)
            {

                Consider(s, q, querySum, pending[j], ef, allow, work, filtered, ref bound);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(byte* address, int bytes)
    {
        if (Sse.IsSupported)
        {
            for (var offset = 0; offset < bytes; offset += 64)
            {
                Sse.Prefetch0(address + offset);
            }
        }
    }

    private void ExpandUpper(Storage s, byte* q, int querySum, int* list, int count, int ef, Func<int, bool>? allow, SearchScratch work, bool filtered, ref float bound)
    {
        for (var i = 1; i <= count; i++)
        {
            var n = list[i];
            if (!work.Visited.Add(n))
            {
                continue;
            }

            Consider(s, q, querySum, n, ef, allow, work, filtered, ref bound);
        }
    }

    /// <summary>Scores a newly reached node: it joins the frontier when it could improve the result, and the result when it is accepted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Consider(Storage s, byte* q, int querySum, int node, int ef, Func<int, bool>? allow, SearchScratch work, bool filtered, ref float bound)
    {
        var d = Distance(s, q, querySum, node);
        var top = work.Top;
        if (top.Count < ef || d < bound)
        {
            work.Frontier.Push(d, node);
            if (!filtered || Accept(s, node, allow))
            {
                top.Push(d, node);
                if (top.Count > ef)
                {
                    top.Pop();
                }

                bound = top.TopDistance;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Accept(Storage s, int node, Func<int, bool>? allow) => s.Flags[node] == NodeState.Live && (allow is null || allow(node));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Distance(Storage s, byte* q, int querySum, int node)
    {
        var codes = s.CodesPtr + ((long)node * stride);
        return innerProduct
            ? -quantizer.Dot(Sq8Kernels.Dot(q, codes, stride), querySum, s.Sums[node])
            : Sq8Kernels.SquaredDistance(q, codes, stride);
    }

    private int Sum(byte* codes)
    {
        var sum = 0;
        for (var i = 0; i < stride; i++)
        {
            sum += codes[i];
        }

        return sum;
    }

    private Span<int> Links(Storage s, int node, int level) =>
        level == 0 ? new Span<int>(s.LinksPtr + ((long)node * (m0 + 1)), m0 + 1) : s.Upper[node].AsSpan((level - 1) * (m + 1), m + 1);

    /// <summary>The node's top level, drawn from the exponential distribution of the paper by hashing the slot (SplitMix64),
    /// so one data set builds one level structure whatever the thread count.</summary>
    private int LevelOf(int slot)
    {
        var z = unchecked(((ulong)slot + 1) * 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        var uniform = ((z >> 11) + 0.5) / (1UL << 53);
        return Math.Min(16, (int)(-Math.Log(uniform) * levelMultiplier));
    }

    /// <summary>Per-thread buffers, so a search allocates nothing.</summary>
    private sealed class SearchScratch
    {
        public VisitedSet Visited { get; } = new();

        public NodeHeap<Nearest> Frontier { get; } = new();

        public NodeHeap<Farthest> Top { get; } = new();

        public List<(float Distance, int Node)> Candidates { get; } = [];

        public List<(float Distance, int Node)> Selected { get; } = [];

        public List<(float Distance, int Node)> Prune { get; } = [];

        public List<(float Distance, int Node)> PruneSelected { get; } = [];
    }
}
