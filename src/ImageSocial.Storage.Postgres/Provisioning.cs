using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>Creates what a cluster needs, idempotently: the per-server schema on every server, the versioned map on the catalog
/// (round robin, once), and the schema of every logical shard the map assigns to each server.</summary>
/// <remarks>An advisory lock per server serializes concurrent first starts of several processes.</remarks>
internal static class Provisioning
{
    private const long LockKey = 0x1A6E5_0C1A1;
    private const int ShardsPerTransaction = 32;
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    internal static void Run(PostgresCluster cluster, ILogger logger, ProvisioningProgress progress)
    {
        // The catalog must answer: it holds the map. Another server may be down when an existing cluster starts; its shards then fail
        // (transiently) until it is back, and everyone else's work goes on.
        PrepareServer(cluster.Catalog);
        var created = CreateMap(cluster);
        cluster.Map.Refresh();
        try
        {
            // Servers are independent: create their shards side by side.
            Parallel.ForEach(cluster.Servers, server =>
            {
                try
                {
                    if (server != cluster.Catalog)
                    {
                        PrepareServer(server);
                    }

                    CreateMissingShards(cluster, server, logger, progress);
                }
                catch (PostgresStoreException ex) when (!created && ex.IsTransient)
                {
                    logger.LogWarning(ex, "Server {Server} cannot be reached; its logical shards fail until it is back", server.Name);
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
    }

    private static void PrepareServer(ServerEndpoint server)
    {
        using var connection = Open(server, "Provision");
        Locked(connection, () => Exec(connection, null, PgSchema.Server));
    }

    private static void CreateMissingShards(PostgresCluster cluster, ServerEndpoint server, ILogger logger, ProvisioningProgress progress)
    {
        using var connection = Open(server, "Provision");
        Locked(connection, () =>
        {
            // Shard schemas are created for the map's first version only. Once a shard has moved (version 2 and later) every shard exists
            // where the map puts it, and a process that read the map before a move would otherwise re-create, empty and writable, the
            // copy the move has just dropped from the old server (a process starting while a shard moved did exactly that).
            cluster.Map.Refresh();
            if (cluster.Map.Version > 1)
            {
                return;
            }

            var assigned = Enumerable.Range(0, cluster.ShardCount).Where(s => cluster.Map.GetServer(s) == server.Name).ToList();
            var present = new HashSet<int>();
            using (var command = new NpgsqlCommand("SELECT shard FROM imagesocial.shards", connection))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    present.Add(reader.GetInt32(0));
                }
            }

            var missing = assigned.Where(s => !present.Contains(s)).ToList();
            if (missing.Count > 0)
            {
                progress.AddMissing(missing.Count);
                logger.LogInformation("Creating {Count} logical shard schemas on server {Server}", missing.Count, server.Name);
            }

            var done = 0;
            var lastReport = System.Diagnostics.Stopwatch.StartNew();
            foreach (var chunk in missing.Chunk(ShardsPerTransaction))
            {
                using var transaction = connection.BeginTransaction();
                foreach (var shard in chunk)
                {
                    CreateShard(connection, transaction, shard, writable: true);
                }

                transaction.Commit();
                done += chunk.Length;
                progress.AddCreated(chunk.Length);
                if (lastReport.Elapsed >= ReportEvery || done == missing.Count)
                {
                    logger.LogInformation("Server {Server}: {Done} of {Count} logical shard schemas created", server.Name, done, missing.Count);
                    lastReport.Restart();
                }
            }
        });
    }

    /// <summary>Creates one shard's schema and its fence row.</summary>
    internal static void CreateShard(NpgsqlConnection connection, NpgsqlTransaction? transaction, int shard, bool writable)
    {
        Exec(connection, transaction, Sql.For(PgSchema.Shard, PgSchema.SchemaName(shard)));
        using var command = Sql.Command(connection, transaction, "INSERT INTO imagesocial.shards(shard, writable, serving) VALUES ($1, $2, $2)", shard, writable);
        command.ExecuteNonQuery();
    }

    /// <summary>Creates the map on a new cluster; returns whether this call created it.</summary>
    private static bool CreateMap(PostgresCluster cluster)
    {
        var created = false;
        using var connection = Open(cluster.Catalog, "Provision");
        Locked(connection, () =>
        {
            using var transaction = connection.BeginTransaction();
            var count = Scalar(connection, transaction, "SELECT value FROM imagesocial.meta WHERE key = 'logical_shards'");
            if (count is string existing)
            {
                if (int.Parse(existing, CultureInfo.InvariantCulture) != cluster.ShardCount)
                {
                    throw new ImageSocialException($"The cluster was created with {existing} logical shards; the options say {cluster.ShardCount}.")
                    {
                        ProviderName = PostgresCluster.Provider,
                        OperationName = "Provision",
                    };
                }

                return;
            }

            var names = cluster.Servers.Select(s => s.Name).ToArray();
            using (var command = Sql.Command(connection, transaction, """
                INSERT INTO imagesocial.meta(key, value) VALUES ('logical_shards', $1), ('schema_version', $2)
                """, cluster.ShardCount.ToString(CultureInfo.InvariantCulture), PgSchema.Version.ToString(CultureInfo.InvariantCulture)))
            {
                command.ExecuteNonQuery();
            }

            using (var command = Sql.Command(connection, transaction, """
                WITH v AS (INSERT INTO imagesocial.map_version(one, version) VALUES (1, 1))
                INSERT INTO imagesocial.shard_map(shard, server) SELECT s, ($2::text[])[1 + s % $3] FROM generate_series(0, $1 - 1) s
                """, cluster.ShardCount, names, names.Length))
            {
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            created = true;
        });
        return created;
    }

    private static NpgsqlConnection Open(ServerEndpoint server, string operation)
    {
        try
        {
            return server.Primary.OpenConnection();
        }
        catch (NpgsqlException ex)
        {
            throw new PostgresStoreException($"Cannot reach server '{server.Name}' to provision it: {ex.Message}", ex) { ProviderName = PostgresCluster.Provider, OperationName = operation };
        }
    }

    private static void Locked(NpgsqlConnection connection, Action body)
    {
        // Another process may be creating a large cluster for minutes: wait for it as long as it takes, not a command timeout.
        using (var wait = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection) { CommandTimeout = 0 })
        {
            wait.ExecuteNonQuery();
        }

        try
        {
            body();
        }
        finally
        {
            Exec(connection, null, $"SELECT pg_advisory_unlock({LockKey})");
        }
    }

    internal static void Exec(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        return command.ExecuteScalar();
    }
}
