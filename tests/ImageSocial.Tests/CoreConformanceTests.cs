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

/// <summary>The SQLite stores the feed kits run on.</summary>
internal static class FeedStores
{
    internal static MetadataStores Create()
    {
        var folder = new TemporaryDirectory();
        var store = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = folder.File("feed.db"), DurableCommits = false }));
        return MetadataStores.Of(store) with { Owner = folder };
    }
}

public class PullFeedBuilderTests : FeedBuilderTests
{
    protected override MetadataStores CreateStores() => FeedStores.Create();

    protected override IFeedBuilder CreateFeed(MetadataStores stores) => new PullFeedBuilder(stores.Graph, stores.Photos);
}

/// <summary>The feed kit through the hybrid builder, every viewer active (their pages come from stored timelines and pulls).</summary>
public class HybridFeedBuilderTests : FeedBuilderTests
{
    protected override MetadataStores CreateStores() => FeedStores.Create();

    protected override IFeedBuilder CreateFeed(MetadataStores stores) => new ActiveViewers((SqliteMetadataStore)stores.Photos);

    /// <summary>Marks each viewer active (and builds their timeline) before their first page, as the rebuild job would.</summary>
    private sealed class ActiveViewers(SqliteMetadataStore store) : IFeedBuilder
    {
        private readonly HybridFeedBuilder inner = new(store, store, store, store, new FeedOptions { Mode = FeedMode.Hybrid, FanOutThreshold = 3 }, TimeProvider.System);
        private readonly HashSet<UserId> rebuilt = [];

        public async Task<Page<Photo>> GetPageAsync(UserId viewer, PageRequest page, CancellationToken cancellationToken = default)
        {
            if (rebuilt.Add(viewer))
            {
                await inner.RebuildAsync(viewer, cancellationToken);
            }

            return await inner.GetPageAsync(viewer, page, cancellationToken);
        }

        public Task OnPublishedAsync(Photo photo, CancellationToken cancellationToken = default) => inner.OnPublishedAsync(photo, cancellationToken);

        public Task OnDeletedAsync(Photo photo, CancellationToken cancellationToken = default) => inner.OnDeletedAsync(photo, cancellationToken);

        public Task OnFollowedAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default) => inner.OnFollowedAsync(follower, followee, cancellationToken);

        public Task OnUnfollowedAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default) => inner.OnUnfollowedAsync(follower, followee, cancellationToken);
    }
}

public class InProcessFeedEventBusTests : FeedEventBusTests
{
    protected override (IFeedEventBus Publisher, IFeedEventBus Listener) CreateBuses()
    {
        var bus = new InProcessFeedEventBus();
        return (bus, bus);
    }
}

public class CoreTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(DefaultShardMap), typeof(PullFeedBuilder), typeof(HybridFeedBuilder), typeof(InProcessFeedEventBus)];
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
        var builder = services.AddImageSocial().AddEmbeddedDefaults(folder.Path);
        services.AddImageSocial().AddEmbeddedDefaults(folder.Path);
        Assert.Same(services, builder.Services);
        using var provider = services.BuildServiceProvider();
        // The job runner and the index's catch-up, each registered once.
        Assert.Equal([typeof(JobRunner), typeof(IndexCatchUp)], provider.GetServices<IHostedService>().Select(s => s.GetType()));
        Assert.Same(provider.GetRequiredService<IPhotoStore>(), provider.GetRequiredService<IUserStore>());
        Assert.Same(provider.GetRequiredService<SqliteMetadataStore>(), provider.GetRequiredService<IEmbeddingSpaceStore>());
        Assert.IsType<SqliteMetadataStore>(provider.GetRequiredService<IOutbox>());
        foreach (var contract in new[] { typeof(IBlobStore), typeof(IVectorIndex), typeof(IImageCodec), typeof(IEmbeddingEngine), typeof(IShardMap), typeof(IFeedBuilder), typeof(ImageSocialService) })
        {
            Assert.NotNull(provider.GetRequiredService(contract));
        }

        Assert.True(File.Exists(Path.Combine(folder.Path, "blobs", ".signing-key")));
        Assert.Equal(Path.Combine(folder.Path, "imagesocial.db"), provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.DatabasePath);
    }

    [Fact]
    public void The_core_alone_names_the_missing_provider_and_the_package_to_add()
    {
        var services = new ServiceCollection();
        services.AddImageSocial();
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ImageSocialService>());
        Assert.Contains(nameof(IUserStore), error.Message, StringComparison.Ordinal);
        Assert.Contains("AddEmbeddedDefaults", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddSqliteMetadata", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_added_before_the_defaults_keeps_its_contract_and_one_added_after_replaces_the_default()
    {
        using var folder = new TemporaryDirectory();
        var services = new ServiceCollection();
        var feed = new PullFeedBuilder(null!, null!);
        var before = new DescriptorEngineStandIn();
        services.AddSingleton<IFeedBuilder>(feed);
        services.AddSingleton<IEmbeddingEngine>(before);
        var builder = services.AddImageSocial().AddEmbeddedDefaults(folder.Path);
        builder.AddLocalBlobStore(o => o.RootPath = Path.Combine(folder.Path, "elsewhere"));
        using var provider = services.BuildServiceProvider();
        Assert.Same(feed, provider.GetRequiredService<IFeedBuilder>());
        Assert.Same(before, provider.GetRequiredService<IEmbeddingEngine>());
        Assert.NotNull(provider.GetRequiredService<IBlobStore>());
        Assert.True(File.Exists(Path.Combine(folder.Path, "elsewhere", ".signing-key")));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "blobs")));
    }

    [Fact]
    public void Invalid_options_fail_at_start()
    {
        var services = new ServiceCollection();
        services.AddImageSocial(o => o.LogicalShardCount = 0);
        services.AddImageSocial(o => o.Jobs.MaxAttempts = 0);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImageSocialOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains(nameof(ImageSocialOptions.LogicalShardCount), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(JobRunnerOptions.MaxAttempts), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_container_disposes_cleanly_with_using_and_await_using_while_the_runner_works()
    {
        using var folder = new TemporaryDirectory();
        foreach (var asynchronous in new[] { false, true })
        {
            var services = new ServiceCollection();
            services.AddImageSocial().AddEmbeddedDefaults(Path.Combine(folder.Path, asynchronous ? "a" : "s"));
            var provider = services.BuildServiceProvider();
            var sdk = provider.GetRequiredService<ImageSocialService>();
            var user = await sdk.CreateUserAsync("disposer", "Disposer");
            await sdk.For(user.Id).UploadPhotoAsync(Imaging.Vips.Tests.TestImages.Encode(64, 48, "jpeg", (x, y) => ((byte)x, (byte)y, 9)), new PhotoDraft("bye"));
            var runner = provider.GetRequiredService<JobRunner>();
            Assert.True(runner.IsRunning); // started by the upload, outside any host
            if (asynchronous)
            {
                await provider.DisposeAsync();
            }
            else
            {
                provider.Dispose();
            }

            Assert.False(runner.IsRunning);
        }
    }

    /// <summary>An engine registered by the application before the defaults.</summary>
    private sealed class DescriptorEngineStandIn : IEmbeddingEngine
    {
        public string ModelId => "stand-in";

        public int Dimension => 3;

        public Task<float[][]> EmbedAsync(IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken cancellationToken = default) =>
            Task.FromResult(images.Select(_ => new float[] { 1, 0, 0 }).ToArray());
    }
}
