using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>What <see cref="PostgresStoreOptions.ConfigureDataSource"/> receives for each data source.</summary>
/// <param name="Server">The server the data source connects to.</param>
/// <param name="IsReplica">Whether it is the server's read replica rather than its primary.</param>
/// <param name="Builder">The builder, with the host's logger factory already applied; change it before the provider builds it.</param>
public sealed record PostgresDataSourceContext(PostgresServerOptions Server, bool IsReplica, NpgsqlDataSourceBuilder Builder);
