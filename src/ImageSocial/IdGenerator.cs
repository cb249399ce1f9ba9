namespace ImageSocial;

/// <summary>Makes time-sortable, shard-carrying ids (see <see cref="SnowflakeId"/>). Thread-safe.</summary>
/// <remarks>Sequences are per logical shard; when one millisecond's ids run out, the generator moves to the next millisecond
/// instead of waiting, so ids stay unique and increasing even under a frozen test clock. Ids are made in the application, with no
/// round trip: the upload path needs a photo's id before anything is stored. Several hosts writing to one store each take their own
/// node number, which occupies the top <see cref="NodeBits"/> bits of the sequence, so their ids can never collide.</remarks>
public sealed class IdGenerator
{
    /// <summary>The sequence bits a node number takes.</summary>
    public const int NodeBits = 4;

    /// <summary>The largest node number.</summary>
    public const int MaxNode = (1 << NodeBits) - 1;

    private readonly Dictionary<int, (long Milliseconds, int Counter)> last = [];
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly int nodePrefix;
    private readonly int maxCounter;

    /// <summary>A generator for a single host: all 10 sequence bits are its own.</summary>
    public IdGenerator(TimeProvider time)
        : this(time, null)
    {
    }

    /// <summary>A generator for one of several hosts.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="node">This host's node number (0..<see cref="MaxNode"/>), distinct per host, or <see langword="null"/> for a single host.</param>
    /// <exception cref="ArgumentOutOfRangeException">The node is outside 0..<see cref="MaxNode"/>.</exception>
    public IdGenerator(TimeProvider time, int? node)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (node is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n, nameof(node));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(n, MaxNode, nameof(node));
        }

        this.time = time;
        var counterBits = System.Numerics.BitOperations.PopCount((uint)SnowflakeId.MaxSequence) - (node is null ? 0 : NodeBits);
        nodePrefix = (node ?? 0) << counterBits;
        maxCounter = (1 << counterBits) - 1;
    }

    /// <summary>A new id value on a logical shard.</summary>
    /// <param name="logicalShard">The shard.</param>
    public long Next(int logicalShard)
    {
        var now = Math.Max(0, (long)(time.GetUtcNow() - SnowflakeId.Epoch).TotalMilliseconds);
        lock (gate)
        {
            var (ms, counter) = last.GetValueOrDefault(logicalShard, (-1, 0));
            if (now > ms)
            {
                (ms, counter) = (now, 0);
            }
            else if (++counter > maxCounter)
            {
                (ms, counter) = (ms + 1, 0);
            }

            last[logicalShard] = (ms, counter);
            return SnowflakeId.Compose(ms, logicalShard, nodePrefix | counter);
        }
    }
}
