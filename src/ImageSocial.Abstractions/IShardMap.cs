namespace ImageSocial;

/// <summary>Maps users to logical shards and logical shards to named physical servers; versioned and changeable at run time.</summary>
/// <remarks>A user's logical shard is fixed at creation and carried in every id on it; only the logical → physical step moves. Thread-safe.</remarks>
public interface IShardMap
{
    /// <summary>The number of logical shards (at most <see cref="SnowflakeId.MaxLogicalShards"/>).</summary>
    int LogicalShardCount { get; }

    /// <summary>The version of the logical → physical assignment; it grows with every change.</summary>
    long Version { get; }

    /// <summary>The named physical servers, in configuration order.</summary>
    IReadOnlyList<string> Servers { get; }

    /// <summary>The logical shard for a new user.</summary>
    int PickShardForNewUser();

    /// <summary>The physical server that holds a logical shard.</summary>
    /// <param name="logicalShard">The logical shard.</param>
    /// <exception cref="ArgumentOutOfRangeException">The shard is outside 0..<see cref="LogicalShardCount"/>-1.</exception>
    string GetServer(int logicalShard);

    /// <summary>Moves a logical shard to another server when the map is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="logicalShard">The logical shard.</param>
    /// <param name="server">One of <see cref="Servers"/>.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="ConflictException">The map changed since <paramref name="expectedVersion"/>.</exception>
    long Assign(int logicalShard, string server, long expectedVersion);
}
