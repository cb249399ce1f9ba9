using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres;

/// <summary>One physical PostgreSQL server and, optionally, its streaming replica.</summary>
public sealed class PostgresServerOptions
{
    /// <summary>The server's name in the shard map; never change it once shards live there.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>The primary's Npgsql connection string.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>A streaming replica of the primary for viewer reads, or <see langword="null"/>.</summary>
    public string? ReplicaConnectionString { get; set; }
}
