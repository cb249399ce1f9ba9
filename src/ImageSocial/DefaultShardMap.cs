using Microsoft.Extensions.Options;

namespace ImageSocial;

/// <summary>The default <see cref="IShardMap"/>: logical shards spread round robin over the configured servers, moved with <see cref="Assign"/>.</summary>
/// <remarks>Thread-safe. The assignment lives in memory; providers that persist it (PostgreSQL) bring their own map.</remarks>
public sealed class DefaultShardMap : IShardMap
{
    private readonly string[] assignment;
    private readonly Lock gate = new();

    /// <summary>Creates the map from the core options.</summary>
    /// <param name="options">Shard count and servers.</param>
    public DefaultShardMap(IOptions<ImageSocialOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Servers = value.Servers.Count > 0 ? [.. value.Servers] : throw new ArgumentException("ImageSocialOptions.Servers must name at least one server.", nameof(options));
        LogicalShardCount = value.LogicalShardCount;
        assignment = Enumerable.Range(0, LogicalShardCount).Select(i => Servers[i % Servers.Count]).ToArray();
    }

    /// <inheritdoc />
    public int LogicalShardCount { get; }

    /// <inheritdoc />
    public long Version { get; private set; } = 1;

    /// <inheritdoc />
    public IReadOnlyList<string> Servers { get; }

    /// <inheritdoc />
    public int PickShardForNewUser() => Random.Shared.Next(LogicalShardCount);

    /// <inheritdoc />
    public string GetServer(int logicalShard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(logicalShard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(logicalShard, LogicalShardCount);
        lock (gate)
        {
            return assignment[logicalShard];
        }
    }

    /// <inheritdoc />
    public long Assign(int logicalShard, string server, long expectedVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(logicalShard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(logicalShard, LogicalShardCount);
        if (!Servers.Contains(server))
        {
            throw new ValidationException($"'{server}' is not one of the configured servers.") { ParameterName = nameof(server) };
        }

        lock (gate)
        {
            if (Version != expectedVersion)
            {
                throw new ConflictException($"The shard map is at version {Version}, not {expectedVersion}.");
            }

            assignment[logicalShard] = server;
            return ++Version;
        }
    }
}
