using ImageSocial.Testing.Servers;
using ImageSocial.ConformanceTests;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The sample host configured for the PostgreSQL provider over two real servers (16 logical shards), as a deployment
/// would through <c>ImageSocial:Providers:Metadata</c> and <c>ImageSocial:Postgres:*</c>.</summary>
public sealed class PostgresSampleHost : IDisposable
{
    private readonly PostgresServer first = PostgresServer.StartPrimary();
    private readonly PostgresServer second = PostgresServer.StartPrimary();

    public PostgresSampleHost()
    {
        Factory = new SampleHostFactory
        {
            Settings =
            {
                ["ImageSocial:Providers:Metadata"] = "postgres",
                ["ImageSocial:Postgres:LogicalShardCount"] = "16",
                ["ImageSocial:Postgres:Servers:0:Name"] = "pg1",
                ["ImageSocial:Postgres:Servers:0:ConnectionString"] = first.ConnectionString(),
                ["ImageSocial:Postgres:Servers:1:Name"] = "pg2",
                ["ImageSocial:Postgres:Servers:1:ConnectionString"] = second.ConnectionString(),
            },
        };
    }

    public SampleHostFactory Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        first.Dispose();
        second.Dispose();
    }
}
