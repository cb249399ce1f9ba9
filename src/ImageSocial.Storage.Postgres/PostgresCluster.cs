using ImageSocial.Shared.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
    private readonly ILogger logger;
    private volatile bool provisioned;
    private Task? provisioning;

    internal PostgresCluster(PostgresStoreOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Servers.Count == 0)
        {
            throw new ArgumentException("PostgresStoreOptions.Servers must name at least one server.", nameof(options));
        }

        Options = options;
        logger = loggerFactory?.CreateLogger(PostgresTelemetry.Name) ?? NullLogger.Instance;
        Servers = options.Servers.Select((s, i) => new ServerEndpoint(s.Name, i, Build(s, replica: false, options, loggerFactory),
            options.ReadFromReplicas && s.ReplicaConnectionString is { Length: > 0 } ? Build(s, replica: true, options, loggerFactory) : null)).ToList();
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

    /// <summary>How far provisioning has come.</summary>
    internal ProvisioningProgress Progress { get; } = new();

    /// <summary>Whether every schema exists.</summary>
    internal bool IsProvisioned => provisioned;

    /// <summary>Creates the schemas on first use (idempotent; safe from several processes). Concurrent callers share one attempt; a
    /// failure is not remembered: the next call tries again.</summary>
    internal Task EnsureProvisionedAsync(CancellationToken cancellationToken)
    {
        if (provisioned)
        {
            return Task.CompletedTask;
        }

        Task attempt;
        lock (provisionGate)
        {
            if (provisioning is null || provisioning.IsFaulted || provisioning.IsCanceled)
            {
                // The schema work is a one-off batch of synchronous DDL; it runs on its own so that no caller's thread waits in it.
                provisioning = Task.Factory.StartNew(ProvisionNow, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            attempt = provisioning;
        }

        return attempt.WaitAsync(cancellationToken);
    }

    /// <summary>For the synchronous shard map's first load.</summary>
    internal void EnsureProvisioned() => EnsureProvisionedAsync(CancellationToken.None).GetAwaiter().GetResult();

    private void ProvisionNow()
    {
        try
        {
            Provisioning.Run(this, logger, Progress);
            Progress.LastError = null;
            provisioned = true;
        }
        catch (Exception ex)
        {
            Progress.LastError = ex;
            logger.LogError(ex, "Creating the cluster's schemas failed; the next call tries again");
            throw;
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
        await EnsureProvisionedAsync(cancellationToken).ConfigureAwait(false);
        using var activity = PostgresTelemetry.Start(operation);
        var started = PostgresTelemetry.Started();
        for (var tries = 0; ; tries++)
        {
            try
            {
                var result = await attempt().ConfigureAwait(false);
                PostgresTelemetry.Stop(activity, operation, started, tries, null);
                return result;
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
                PostgresTelemetry.Stop(activity, operation, started, tries, translated);
                throw translated;
            }
            catch (Exception ex)
            {
                PostgresTelemetry.Stop(activity, operation, started, tries, ex);
                throw;
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
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => StoreErrors.ValueTaken(Provider, operation),
        PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } => StoreErrors.MissingReference(Provider, operation),
        NpgsqlException npgsql => new PostgresStoreException($"PostgreSQL failed in {operation}: {npgsql.Message}", npgsql) { ProviderName = Provider, OperationName = operation },
        _ => null,
    };

    private static NpgsqlDataSource Build(PostgresServerOptions server, bool replica, PostgresStoreOptions options, ILoggerFactory? loggerFactory)
    {
        var connectionString = replica ? server.ReplicaConnectionString! : server.ConnectionString;
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            csb.MaxAutoPrepare = options.MaxAutoPrepare;
            csb.AutoPrepareMinUsages = 2;
        }

        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        options.ConfigureDataSource?.Invoke(new PostgresDataSourceContext(server, replica, builder));
        return builder.Build();
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
