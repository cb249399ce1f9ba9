using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Sqlite.Tests;

internal static class SqliteStores
{
    internal static MetadataStores Create()
    {
        var folder = new TemporaryDirectory();
        var store = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = folder.File("test.db"), DurableCommits = false }));
        return MetadataStores.Of(store) with { Owner = new Disposables(store, folder) };
    }

    private sealed class Disposables(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}

public class SqliteUserStoreTests : UserStoreTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public class SqliteSocialGraphTests : SocialGraphTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public class SqlitePhotoStoreTests : PhotoStoreTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public class SqliteInteractionStoreTests : InteractionStoreTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public class SqliteModerationStoreTests : ModerationStoreTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public class SqliteOutboxTests : OutboxTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public class SqliteEmbeddingSpaceStoreTests : EmbeddingSpaceStoreTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public class SqliteTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(SqliteMetadataStore)];
}

public class SqliteEmbeddingStoreTests : EmbeddingStoreTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public class SqlitePhotoChangeFeedTests : PhotoChangeFeedTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}

public sealed class SqliteTimelineStoreTests : MetadataTimelineStoreTests
{
    protected override MetadataStores CreateStores() => SqliteStores.Create();
}
