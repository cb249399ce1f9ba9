using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>The versioned logical → physical map, kept in the catalog server's <c>imagesocial.shard_map</c> and cached here.</summary>
/// <remarks>Thread-safe. The cache is reloaded when a statement meets a shard that is no longer where the map said (the write fence
/// or a dropped schema), and every <see cref="PostgresStoreOptions.MapRefreshInterval"/> in the background. <see cref="Assign"/>
/// only flips the pointer: moving the data is <c>ShardMover</c>'s job, which calls it at the right moment.</remarks>
public sealed class PostgresShardMap : IShardMap
{
    private readonly PostgresCluster cluster;
    private readonly Lock gate = new();
    private string[] assignment = [];
    private long version;
    private long loadedAt;
    private int refreshing;

    internal PostgresShardMap(PostgresCluster cluster)
    {
        this.cluster = cluster;
        Servers = cluster.Options.Servers.Select(s => s.Name).ToArray();
    }

    /// <inheritdoc />
    public int LogicalShardCount => cluster.ShardCount;

    /// <inheritdoc />
    public long Version
    {
        get
        {
            EnsureLoaded();
            return Volatile.Read(ref version);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Servers { get; }

    /// <inheritdoc />
    public int PickShardForNewUser() => Random.Shared.Next(LogicalShardCount);

    /// <inheritdoc />
    public string GetServer(int logicalShard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(logicalShard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(logicalShard, LogicalShardCount);
        EnsureLoaded();
        if (Environment.TickCount64 - Volatile.Read(ref loadedAt) > cluster.Options.MapRefreshInterval.TotalMilliseconds && Interlocked.Exchange(ref refreshing, 1) == 0)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    Refresh();
                }
                catch (ImageSocialException)
                {
                    // The catalog is unreachable: keep serving from the cached map.
                }
                finally
                {
                    Volatile.Write(ref refreshing, 0);
                }
            });
        }

        return Volatile.Read(ref assignment)[logicalShard];
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

        cluster.EnsureProvisioned();
        long next;
        using (var connection = cluster.Catalog.Primary.OpenConnection())
        using (var transaction = connection.BeginTransaction())
        {
            using (var bump = Sql.Command(connection, transaction, "UPDATE imagesocial.map_version SET version = version + 1 WHERE version = $1 RETURNING version", expectedVersion))
            {
                if (bump.ExecuteScalar() is not long bumped)
                {
                    throw new ConflictException($"The shard map is no longer at version {expectedVersion}.") { ProviderName = PostgresCluster.Provider, OperationName = "AssignShard" };
                }

                next = bumped;
            }

            using (var move = Sql.Command(connection, transaction, "UPDATE imagesocial.shard_map SET server = $2 WHERE shard = $1", logicalShard, server))
            {
                move.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Refresh();
        return next;
    }

    /// <summary>Reloads the map from the catalog when its version changed.</summary>
    /// <exception cref="PostgresStoreException">The catalog cannot be reached.</exception>
    public void Refresh()
    {
        try
        {
            using var connection = cluster.Catalog.Primary.OpenConnection();
            using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using var versionCommand = new NpgsqlCommand("SELECT version FROM imagesocial.map_version", connection, transaction);
            var current = versionCommand.ExecuteScalar() as long? ?? 0;
            if (current != Volatile.Read(ref version) || Volatile.Read(ref assignment).Length == 0)
            {
                var map = new string[LogicalShardCount];
                using var read = new NpgsqlCommand("SELECT shard, server FROM imagesocial.shard_map", connection, transaction);
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    var shard = reader.GetInt32(0);
                    if (shard < map.Length)
                    {
                        map[shard] = reader.GetString(1);
                    }
                }

                lock (gate)
                {
                    Volatile.Write(ref assignment, map);
                    Volatile.Write(ref version, current);
                }
            }

            Volatile.Write(ref loadedAt, Environment.TickCount64);
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresStoreException($"Cannot read the shard map from the catalog server '{cluster.Catalog.Name}': {ex.Message}", ex)
            {
                ProviderName = PostgresCluster.Provider,
                OperationName = "RefreshShardMap",
            };
        }
    }

    private void EnsureLoaded()
    {
        if (Volatile.Read(ref assignment).Length == 0)
        {
            cluster.EnsureProvisioned();
            lock (gate)
            {
                if (Volatile.Read(ref assignment).Length == 0)
                {
                    Refresh();
                }
            }
        }
    }
}
