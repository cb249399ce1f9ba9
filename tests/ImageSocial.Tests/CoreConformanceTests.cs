using ImageSocial.ConformanceTests;
using ImageSocial.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImageSocial.Tests;

public class DefaultShardMapTests : ShardMapTests
{
    protected override IShardMap CreateMap(int shards, params string[] servers)
    {
        var options = new ImageSocialOptions { LogicalShardCount = shards };
        options.Servers.Clear();
        foreach (var server in servers)
        {
            options.Servers.Add(server);
        }

        return new DefaultShardMap(Options.Create(options));
    }
}

public class PullFeedBuilderTests : FeedBuilderTests
{
    protected override MetadataStores CreateStores()
    {
        var folder = new TemporaryDirectory();
        var store = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = folder.File("feed.db"), DurableCommits = false }));
        return new MetadataStores(store, store, store, store, store) { Owner = folder };
    }

    protected override IFeedBuilder CreateFeed(MetadataStores stores) => new PullFeedBuilder(stores.Graph, stores.Photos);
}

public class CoreTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(DefaultShardMap), typeof(PullFeedBuilder)];
}

public class DependencyInjectionTests
{
    [Fact]
    public void Null_services_throw()
    {
        Assert.Throws<ArgumentNullException>(() => ImageSocialServiceCollectionExtensions.AddImageSocial(null!));
    }

    [Fact]
    public void Embedded_defaults_resolve_once_however_often_added()
    {
        using var folder = new TemporaryDirectory();
        var services = new ServiceCollection();
        var builder = services.AddImageSocial(o => o.DataDirectory = folder.Path);
        services.AddImageSocial();
        Assert.Same(services, builder.Services);
        using var provider = services.BuildServiceProvider();
        Assert.Single(provider.GetServices<IHostedService>());
        Assert.Same(provider.GetRequiredService<IPhotoStore>(), provider.GetRequiredService<IUserStore>());
        Assert.IsType<SqliteMetadataStore>(provider.GetRequiredService<IOutbox>());
        foreach (var contract in new[] { typeof(IBlobStore), typeof(IVectorIndex), typeof(IImageCodec), typeof(IEmbeddingEngine), typeof(IShardMap), typeof(IFeedBuilder), typeof(ImageSocialService) })
        {
            Assert.NotNull(provider.GetRequiredService(contract));
        }

        Assert.True(File.Exists(Path.Combine(folder.Path, "blobs", ".signing-key")));
    }

    [Fact]
    public void A_provider_chosen_on_the_builder_replaces_the_default()
    {
        using var folder = new TemporaryDirectory();
        var services = new ServiceCollection();
        var feed = new PullFeedBuilder(null!, null!);
        services.AddImageSocial(o => o.DataDirectory = folder.Path).Services.AddSingleton<IFeedBuilder>(feed);
        using var provider = services.BuildServiceProvider();
        Assert.Same(feed, provider.GetRequiredService<IFeedBuilder>());
    }

    [Fact]
    public void Invalid_options_fail_at_start()
    {
        var services = new ServiceCollection();
        services.AddImageSocial(o => o.LogicalShardCount = 0);
        using var provider = services.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImageSocialOptions>>().Value);
    }
}
