using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres;

/// <summary>The physical servers, the number of logical shards and the read, retry and fan-out rules of the PostgreSQL provider
/// (configuration section <c>ImageSocial:Postgres</c>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The physical servers. The first one is the catalog: it holds the versioned shard map.</summary>
    [ValidateEnumeratedItems]
    public IList<PostgresServerOptions> Servers { get; } = [];

    /// <summary>The number of logical shards (schemas <c>shard_0000</c>…), fixed when the cluster is first created. Default 4096, for
    /// production: room to spread over many servers. Creating them takes a while (about a minute and 750 MB for 4096 on a small machine,
    /// with progress in the log); for a local or test cluster use 64.</summary>
    [Range(1, SnowflakeId.MaxLogicalShards)]
    public int LogicalShardCount { get; set; } = 4096;

    /// <summary>How many servers a fan-out read (feed pull, search, batch get) queries at once.</summary>
    [Range(1, 256)]
    public int MaxFanOutDegree { get; set; } = 8;

    /// <summary>How many times a transient failure (connection lost, server restarting, serialization failure, a shard moving) is retried.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry delay; each further retry doubles it, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether viewer reads may go to a server's replica (see <see cref="PostgresServerOptions.ReplicaConnectionString"/>).</summary>
    public bool ReadFromReplicas { get; set; } = true;

    /// <summary>How often the shard map is reloaded from the catalog even when nothing signalled a move.</summary>
    public TimeSpan MapRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many statements each pooled connection keeps prepared (Npgsql automatic preparation), unless the connection string says.</summary>
    [Range(0, 65536)]
    public int MaxAutoPrepare { get; set; } = 512;

    /// <summary>Called for each data source the provider builds (every server's primary and replica) before it is built: add type
    /// mappings, a password provider, TLS callbacks, or your own logging. Code only; not bound from configuration.</summary>
    public Action<PostgresDataSourceContext>? ConfigureDataSource { get; set; }

    /// <summary>The folder of PostgreSQL's client programs (<c>pg_dump</c>, <c>pg_restore</c>) that backups run, or <see langword="null"/>
    /// to find them on the PATH. Use the version of the servers or a later one.</summary>
    public string? ClientToolsDirectory { get; set; }
}
