using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>The physical servers, the shard map and the rules every statement runs under: routing by logical shard, the write
/// fence, retries with backoff, bounded fan-out and error translation.</summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    internal const string Provider = "postgresql";
    private const string NotWritable = "IS001";
    private readonly Dictionary<string, ServerEndpoint> byName;
    private readonly Lock provisionGate = new();
    private volatile bool provisioned;
    private readonly ILogger logger;

    internal PostgresCluster(PostgresStoreOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Servers.Count == 0)
        {
            throw new ArgumentException("PostgresStoreOptions.Servers must name at least one server.", nameof(options));
        }

        Options = options;
        this.logger = logger;
        Servers = options.Servers.Select((s, i) => new ServerEndpoint(s.Name, i, Build(s.ConnectionString, options), options.ReadFromReplicas && s.ReplicaConnectionString is { Length: > 0 } r ? Build(r, options) : null)).ToList();
        byName = Servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
        if (byName.Count != Servers.Count)
        {
            throw new ArgumentException("PostgresStoreOptions.Servers has two servers with one name.", nameof(options));
        }

        Map = new PostgresShardMap(this);
    }

    internal PostgresStoreOptions Options { get; }

    internal IReadOnlyList<ServerEndpoint> Servers { get; }

    internal ServerEndpoint Catalog => Servers[0];

    internal PostgresShardMap Map { get; }

    internal int ShardCount => Options.LogicalShardCount;

    /// <summary>Creates the schemas on first use (idempotent; safe from several processes). A failure is not remembered: the next
    /// call tries again.</summary>
    internal void EnsureProvisioned()
    {
        if (provisioned)
        {
            return;
        }

        lock (provisionGate)
        {
            if (!provisioned)
            {
                Provisioning.Run(this, logger);
                provisioned = true;
            }
        }
    }

    internal ServerEndpoint Endpoint(string name) =>
        byName.TryGetValue(name, out var endpoint) ? endpoint : throw new ValidationException($"'{name}' is not one of the configured servers.") { ParameterName = "server" };

    internal ServerEndpoint EndpointOf(int shard) => Endpoint(Map.GetServer(shard));

    /// <summary>Whether an id's shard bits name a shard of this cluster (ids from outside may carry any 13 bits).</summary>
    internal bool IsShard(int shard) => shard >= 0 && shard < ShardCount;

    /// <summary>Runs a write in one transaction on the shard's server, behind the shard's write fence.</summary>
    internal Task<T> WriteAsync<T>(string operation, int shard, Func<NpgsqlConnection, NpgsqlTransaction, string, Task<T>> body, CancellationToken cancellationToken) =>
        RetryAsync(operation, async () =>
        {
            var endpoint = EndpointOf(shard);
            var connection = await endpoint.Primary.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);
            await Sql.ExecuteAsync(connection, transaction, "SELECT imagesocial.assert_writable($1)", cancellationToken, shard).ConfigureAwait(false);

            var result = await body(connection, transaction, PgSchema.SchemaName(shard)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            await endpoint.NoteCommitAsync(connection, cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    /// <summary>Runs a read on the shard's server (its replica when <paramref name="replicaAllowed"/> and caught up).</summary>
    internal Task<T> ReadAsync<T>(string operation, int shard, bool replicaAllowed, Func<NpgsqlConnection, string, Task<T>> body, CancellationToken cancellationToken) =>
        RetryAsync(operation, () => EndpointOf(shard).RunAsync(replicaAllowed, c => body(c, PgSchema.SchemaName(shard)), cancellationToken), cancellationToken);

    /// <summary>Groups keys by the server their shard lives on and runs <paramref name="body"/> once per server, at most
    /// <see cref="PostgresStoreOptions.MaxFanOutDegree"/> at a time; only servers holding one of the keys are touched.</summary>
    internal Task<List<TResult>> FanOutAsync<TKey, TResult>(string operation, IEnumerable<TKey> keys, Func<TKey, int> shardOf, bool replicaAllowed,
        Func<NpgsqlConnection, IReadOnlyList<IGrouping<int, TKey>>, Task<List<TResult>>> body, CancellationToken cancellationToken)
    {
        var byShard = keys.Where(k => IsShard(shardOf(k))).GroupBy(shardOf).ToList();
        return RetryAsync(operation, () => InParallelAsync(byShard.GroupBy(g => EndpointOf(g.Key)).ToList(),
            server => server.Key.RunAsync(replicaAllowed, c => body(c, server.ToList()), cancellationToken), cancellationToken), cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> on every server, at most <see cref="PostgresStoreOptions.MaxFanOutDegree"/> at a time.</summary>
    internal Task<List<TResult>> EveryServerAsync<TResult>(string operation, bool replicaAllowed, Func<ServerEndpoint, NpgsqlConnection, Task<List<TResult>>> body, CancellationToken cancellationToken) =>
        RetryAsync(operation, () => InParallelAsync(Servers, server => server.RunAsync(replicaAllowed, c => body(server, c), cancellationToken), cancellationToken), cancellationToken);

    /// <summary>Runs one call per item concurrently, at most <see cref="PostgresStoreOptions.MaxFanOutDegree"/> at a time, and
    /// concatenates the results.</summary>
    private async Task<List<TResult>> InParallelAsync<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, Task<List<TResult>>> call, CancellationToken cancellationToken)
    {
        if (items.Count == 1)
        {
            return await call(items[0]).ConfigureAwait(false);
        }

        if (items.Count <= Options.MaxFanOutDegree)
        {
            // Few enough to start at once: each call runs inline up to its first wait.
            return (await Task.WhenAll(items.Select(call)).ConfigureAwait(false)).SelectMany(r => r).ToList();
        }

        var results = new List<TResult>[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = Options.MaxFanOutDegree, CancellationToken = cancellationToken },
            async (i, _) => results[i] = await call(items[i]).ConfigureAwait(false)).ConfigureAwait(false);
        return results.SelectMany(r => r).ToList();
    }

    /// <summary>Retries transient failures with exponential backoff and jitter; a shard that moved reloads the map first.</summary>
    internal async Task<T> RetryAsync<T>(string operation, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        EnsureProvisioned();
        for (var tries = 0; ; tries++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsRetryable(ex, out var moved) && tries < Options.MaxRetries && !cancellationToken.IsCancellationRequested)
            {
                if (moved)
                {
                    Map.Refresh();
                }

                var delay = Options.RetryBaseDelay * Math.Pow(2, tries) * (0.5 + Random.Shared.NextDouble());
                logger.LogDebug(ex, "{Operation} failed ({Reason}); retry {Try} in {Delay} ms", operation, ex.Message, tries + 1, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate(ex, operation) is { } translated)
            {
                throw translated;
            }
        }
    }

    private static bool IsRetryable(Exception ex, out bool moved)
    {
        // A shard fenced here, or a schema dropped after a move: the map is stale.
        moved = ex is PostgresException { SqlState: NotWritable or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedTable };
        return moved || ex is NpgsqlException { IsTransient: true } || (ex is AggregateException agg && agg.InnerExceptions.All(e => IsRetryable(e, out _)));
    }

    private static ImageSocialException? Translate(Exception ex, string operation) => ex switch
    {
        ImageSocialException => null,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => new ConflictException("The value is already taken.") { ProviderName = Provider, OperationName = operation },
        PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } => new NotFoundException("A referenced user or photo does not exist.") { ProviderName = Provider, OperationName = operation },
        NpgsqlException npgsql => new PostgresStoreException($"PostgreSQL failed in {operation}: {npgsql.Message}", npgsql) { ProviderName = Provider, OperationName = operation },
        _ => null,
    };

    private static NpgsqlDataSource Build(string connectionString, PostgresStoreOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = options.MaxAutoPrepare;
            builder.AutoPrepareMinUsages = 2;
        }

        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A PostgreSQL failure that is not a conflict or a missing reference; <see cref="ImageSocialException.IsTransient"/> says
/// whether the same call may succeed later (a server down or restarting, a shard moving).</summary>
public sealed class PostgresStoreException(string message, Exception innerException) : ImageSocialException(message, innerException)
{
    /// <inheritdoc />
    public override bool IsTransient => InnerException is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "IS001" } || base.IsTransient;
}
