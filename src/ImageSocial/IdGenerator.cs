namespace ImageSocial;

/// <summary>Makes time-sortable, shard-carrying ids (see <see cref="SnowflakeId"/>). Thread-safe.</summary>
/// <remarks>Sequences are per logical shard; when one millisecond's 1024 ids run out, the generator moves to the next millisecond
/// instead of waiting, so ids stay unique and increasing even under a frozen test clock.</remarks>
public sealed class IdGenerator(TimeProvider time)
{
    private readonly Dictionary<int, (long Milliseconds, int Sequence)> last = [];
    private readonly Lock gate = new();

    /// <summary>A new id value on a logical shard.</summary>
    /// <param name="logicalShard">The shard.</param>
    public long Next(int logicalShard)
    {
        var now = Math.Max(0, (long)(time.GetUtcNow() - SnowflakeId.Epoch).TotalMilliseconds);
        lock (gate)
        {
            var (ms, sequence) = last.GetValueOrDefault(logicalShard, (-1, 0));
            if (now > ms)
            {
                (ms, sequence) = (now, 0);
            }
            else if (++sequence > SnowflakeId.MaxSequence)
            {
                (ms, sequence) = (ms + 1, 0);
            }

            last[logicalShard] = (ms, sequence);
            return SnowflakeId.Compose(ms, logicalShard, sequence);
        }
    }
}
