namespace ImageSocial;

/// <summary>
/// The 64-bit id layout shared by <see cref="PhotoId"/>, <see cref="UserId"/> and <see cref="CommentId"/>:
/// 41 bits of milliseconds since <see cref="Epoch"/>, 13 bits of logical shard, 10 bits of sequence.
/// </summary>
/// <remarks>Ids sort by creation time, so newest-first is a descending id order, and the logical shard is read from the id with no lookup.</remarks>
public static class SnowflakeId
{
    /// <summary>The custom epoch the 41 time bits count from (2024-01-01T00:00:00Z).</summary>
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The number of logical shards the 13 shard bits can address.</summary>
    public const int MaxLogicalShards = 1 << ShardBits;

    /// <summary>The largest sequence number in one millisecond on one shard.</summary>
    public const int MaxSequence = (1 << SequenceBits) - 1;

    internal const int ShardBits = 13;
    internal const int SequenceBits = 10;
    internal const long MaxMilliseconds = (1L << 41) - 1;

    /// <summary>Packs the three fields into one id value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is outside its bit range.</exception>
    public static long Compose(long millisecondsSinceEpoch, int logicalShard, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(millisecondsSinceEpoch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(millisecondsSinceEpoch, MaxMilliseconds);
        ArgumentOutOfRangeException.ThrowIfNegative(logicalShard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(logicalShard, MaxLogicalShards);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, MaxSequence);
        return (millisecondsSinceEpoch << (ShardBits + SequenceBits)) | ((long)logicalShard << SequenceBits) | (long)sequence;
    }

    /// <summary>The creation time carried by an id value.</summary>
    public static DateTimeOffset GetCreatedAt(long value) => Epoch.AddMilliseconds(value >>> (ShardBits + SequenceBits));

    /// <summary>The logical shard carried by an id value.</summary>
    public static int GetLogicalShard(long value) => (int)((value >>> SequenceBits) & (MaxLogicalShards - 1));

    /// <summary>The sequence number carried by an id value.</summary>
    public static int GetSequence(long value) => (int)(value & MaxSequence);

    /// <summary>Parses the decimal form of an id; rejects anything that is not a positive 64-bit integer.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 19)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value > 0;
    }
}
