using ImageSocial.Testing.Servers;
using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres.Tests;

/// <summary>Two primaries and a streaming replica of the first, started once for the whole test assembly.</summary>
public sealed class PostgresServers : IDisposable
{
    private static int next;

    public PostgresServers()
    {
        A = PostgresServer.StartPrimary();
        B = PostgresServer.StartPrimary();
        ReplicaOfA = PostgresServer.StartReplicaOf(A);
    }

    public PostgresServer A { get; }

    public PostgresServer B { get; }

    public PostgresServer ReplicaOfA { get; }

    /// <summary>A new empty database on both primaries (the replica follows A's), for one test's own cluster.</summary>
    public string NewDatabase()
    {
        var name = $"t{Interlocked.Increment(ref next)}_{Environment.ProcessId}";
        A.Execute($"CREATE DATABASE {name}");
        B.Execute($"CREATE DATABASE {name}");
        return name;
    }

    /// <summary>Options for a two-server cluster over a fresh database, with the replica when asked.</summary>
    public PostgresStoreOptions NewOptions(int shards = 8, bool replica = false, string? database = null)
    {
        database ??= NewDatabase();
        var options = new PostgresStoreOptions { LogicalShardCount = shards, RetryBaseDelay = TimeSpan.FromMilliseconds(20) };
        options.Servers.Add(new PostgresServerOptions { Name = "a", ConnectionString = A.ConnectionString(database), ReplicaConnectionString = replica ? ReplicaOfA.ConnectionString(database) : null });
        options.Servers.Add(new PostgresServerOptions { Name = "b", ConnectionString = B.ConnectionString(database) });
        return options;
    }

    /// <summary>The database name a cluster's options point at (the same on both primaries).</summary>
    public static string DatabaseOf(PostgresStoreOptions options) => new Npgsql.NpgsqlConnectionStringBuilder(options.Servers[0].ConnectionString).Database!;

    /// <summary>Runs <paramref name="body"/> with server b stopped, and starts it again afterwards.</summary>
    public async Task WhileBIsDownAsync(Func<Task> body)
    {
        B.Stop();
        try
        {
            await body();
        }
        finally
        {
            B.Start();
        }
    }

    /// <summary>Asserts that a call on a shard of a stopped server fails with a typed, transient error (after its retries).</summary>
    public static async Task AssertUnavailableAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<PostgresStoreException>(call);
        Assert.True(error.IsTransient);
    }

    /// <summary>A store over a fresh two-server cluster.</summary>
    public PostgresMetadataStore NewStore(int shards = 8, bool replica = false) => new(Options.Create(NewOptions(shards, replica)));

    /// <summary>The conformance kit's view of a fresh store.</summary>
    public MetadataStores NewStores()
    {
        var store = NewStore();
        return MetadataStores.Of(store) with { Owner = store };
    }

    public void Dispose()
    {
        ReplicaOfA.Dispose();
        A.Dispose();
        B.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServers>
{
    public const string Name = "postgres";
}
