using ImageSocial;
using ImageSocial.Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ImageSocial SDK's core.</summary>
public static class ImageSocialServiceCollectionExtensions
{
    /// <summary>Adds the SDK's core: <see cref="ImageSocialService"/>, the id generator, the default shard map and pull feed, and the
    /// job runner. The stores, the index, the codec and the embedding engine come from provider packages added through the returned
    /// builder (<c>AddEmbeddedDefaults()</c> adds all of them for one machine). Safe to call more than once.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="ImageSocialOptions"/>.</param>
    /// <returns>The builder that provider packages extend.</returns>
    public static IImageSocialBuilder AddImageSocial(this IServiceCollection services, Action<ImageSocialOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ImageSocialOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddCore(services);
    }

    /// <summary>Adds the SDK's core with its options bound from configuration (the <c>ImageSocial</c> section of a host).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section to bind <see cref="ImageSocialOptions"/> from.</param>
    /// <returns>The builder that provider packages extend.</returns>
    public static IImageSocialBuilder AddImageSocial(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ImageSocialOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static ImageSocialBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<ImageSocialOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImageSocialOptions>, ImageSocialOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new IdGenerator(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ImageSocialOptions>>().Value.IdNode));
        services.TryAddSingleton<IShardMap, DefaultShardMap>();
        services.TryAddSingleton<IFeedEventBus, InProcessFeedEventBus>();
        services.TryAddSingleton<IFeedBuilder>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ImageSocialOptions>>().Value;
            return options.Feed.Mode == FeedMode.Hybrid
                ? new HybridFeedBuilder(Required<ISocialGraph>(sp), Required<IPhotoStore>(sp), Required<ITimelineStore>(sp), Required<IOutbox>(sp), options.Feed,
                    sp.GetRequiredService<TimeProvider>())
                : new PullFeedBuilder(Required<ISocialGraph>(sp), Required<IPhotoStore>(sp));
        });
        services.TryAddSingleton(sp => new EmbeddingSpace(Required<IEmbeddingEngine>(sp), Required<IEmbeddingSpaceStore>(sp), sp.GetRequiredService<TimeProvider>(), Logger<EmbeddingSpace>(sp)));
        services.TryAddSingleton<IJobQueue>(sp => new OutboxJobQueue(Required<IOutbox>(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ImageSocialOptions>>().Value;
            var users = Required<IUserStore>(sp);
            var cache = new ReadCache(Required<IPhotoStore>(sp), users, Required<ISocialGraph>(sp), sp.GetRequiredService<IFeedBuilder>(), options.Cache,
                sp.GetService<ISharedCache>());
            var parts = new SdkParts(users, Required<ISocialGraph>(sp), Required<IPhotoStore>(sp), Required<IInteractionStore>(sp),
                Required<IBlobStore>(sp), Required<IOutbox>(sp), Required<IVectorIndex>(sp), sp.GetRequiredService<IFeedBuilder>(), Required<IImageCodec>(sp),
                Required<IEmbeddingEngine>(sp), sp.GetRequiredService<IShardMap>(), sp.GetRequiredService<IdGenerator>(), sp.GetRequiredService<TimeProvider>(),
                options, Logger<ImageSocialService>(sp), new ImageWork(options.ImageWorkers), cache, Required<IEmbeddingStore>(sp), Required<IPhotoChangeFeed>(sp),
                sp.GetRequiredService<IFeedEventBus>(), sp.GetService<IVideoProcessor>(), Required<IModerationStore>(sp));
            // The service owns its job runner, so that work enqueued by a console app (no host) starts it.
            var space = sp.GetRequiredService<EmbeddingSpace>();
            return new ImageSocialService(parts, service => new JobRunner(service, new OutboxHandlers(parts, space), space, sp.GetRequiredService<IJobQueue>(),
                Logger<JobRunner>(sp)), new IndexCatchUp(parts, space, Logger<IndexCatchUp>(sp)));
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<ImageSocialService>().Jobs);
        services.TryAddSingleton(sp => sp.GetRequiredService<ImageSocialService>().Index);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobRunner>(sp => sp.GetRequiredService<JobRunner>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IndexCatchUp>(sp => sp.GetRequiredService<IndexCatchUp>()));
        return new ImageSocialBuilder(services);
    }

    private static ILogger<T> Logger<T>(IServiceProvider sp) => sp.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;

    /// <summary>Resolves a contract a provider must serve, with a message that says which package to add when none does.</summary>
    private static T Required<T>(IServiceProvider sp) where T : class =>
        sp.GetService<T>() ?? throw new InvalidOperationException(
            $"No provider serves {typeof(T).Name}. Add one through the builder that AddImageSocial() returns: AddEmbeddedDefaults() (package ImageSocial.Embedded) " +
            $"adds one for every contract on one machine; {Hint(typeof(T))}.");

    private static string Hint(Type contract) => contract.Name switch
    {
        nameof(IPhotoStore) or nameof(IUserStore) or nameof(ISocialGraph) or nameof(IInteractionStore) or nameof(IOutbox) or nameof(IEmbeddingSpaceStore) or nameof(IModerationStore) =>
            "for metadata, AddSqliteMetadata() or AddPostgresMetadata()",
        nameof(IBlobStore) => "for blobs, AddLocalBlobStore()",
        nameof(ITimelineStore) => "for hybrid feeds' timelines, AddSqliteMetadata(), AddPostgresMetadata() or AddRedisTimelines()",
        nameof(IVectorIndex) => "for vectors, AddEmbeddedVectorIndex()",
        nameof(IImageCodec) => "for images, AddVipsImageCodec()",
        _ => "for embeddings, AddDescriptorEmbeddings() or AddOnnxEmbeddings()",
    };

    private sealed class ImageSocialBuilder(IServiceCollection services) : IImageSocialBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
