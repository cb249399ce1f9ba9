using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public class PostgresUserStoreTests(PostgresServers servers) : UserStoreTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public class PostgresSocialGraphTests(PostgresServers servers) : SocialGraphTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public class PostgresPhotoStoreTests(PostgresServers servers) : PhotoStoreTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public class PostgresInteractionStoreTests(PostgresServers servers) : InteractionStoreTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public class PostgresModerationStoreTests(PostgresServers servers) : ModerationStoreTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public class PostgresOutboxTests(PostgresServers servers) : OutboxTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public class PostgresEmbeddingSpaceStoreTests(PostgresServers servers) : EmbeddingSpaceStoreTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public class PostgresShardMapTests(PostgresServers servers) : ShardMapTests
{
    protected override IShardMap CreateMap(int shards, params string[] names)
    {
        var database = servers.NewDatabase();
        var options = new PostgresStoreOptions { LogicalShardCount = shards };
        foreach (var name in names)
        {
            // Two names on one server's database: the map does not care where they physically are.
            options.Servers.Add(new PostgresServerOptions { Name = name, ConnectionString = (name == names[0] ? servers.A : servers.B).ConnectionString(database) });
        }

        return new PostgresMetadataStore(Options.Create(options)).Map;
    }
}

public class PostgresTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(PostgresMetadataStore), typeof(PostgresShardMap)];
}

[Collection(PostgresCollection.Name)]
public class PostgresEmbeddingStoreTests(PostgresServers servers) : EmbeddingStoreTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public class PostgresPhotoChangeFeedTests(PostgresServers servers) : PhotoChangeFeedTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresTimelineStoreTests(PostgresServers servers) : MetadataTimelineStoreTests
{
    protected override MetadataStores CreateStores() => servers.NewStores();
}
