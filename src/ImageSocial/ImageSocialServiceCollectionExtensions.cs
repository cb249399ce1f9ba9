using ImageSocial;
using ImageSocial.Embeddings;
using ImageSocial.Imaging.Vips;
using ImageSocial.Storage.Local;
using ImageSocial.Storage.Sqlite;
using ImageSocial.Vectors.Embedded;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ImageSocial SDK.</summary>
public static class ImageSocialServiceCollectionExtensions
{
    /// <summary>Adds the SDK with the embedded defaults (SQLite, local disk, embedded vector index, libvips, the model-free descriptor);
    /// provider packages replace any of them through the returned builder. Safe to call more than once.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="ImageSocialOptions"/>.</param>
    /// <returns>The builder that provider packages extend.</returns>
    public static IImageSocialBuilder AddImageSocial(this IServiceCollection services, Action<ImageSocialOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ImageSocialOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImageSocialOptions>, ImageSocialOptionsValidator>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<VipsCodecOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VipsCodecOptions>, VipsCodecOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new IdGenerator(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ImageSocialOptions>>().Value.IdNode));
        services.TryAddSingleton<IShardMap, DefaultShardMap>();
        services.TryAddSingleton<IFeedBuilder, PullFeedBuilder>();

        // Embedded defaults, each in the data folder unless its own options say otherwise.
        services.AddOptions<SqliteStoreOptions>().Configure<IOptions<ImageSocialOptions>>((o, s) => o.DatabasePath = Path.Combine(s.Value.DataDirectory, "imagesocial.db"));
        services.AddOptions<LocalBlobStoreOptions>().Configure<IOptions<ImageSocialOptions>>((o, s) => o.RootPath = Path.Combine(s.Value.DataDirectory, "blobs"));
        // One vector index per embedding space: another model starts an empty index that the backfill job fills.
        services.AddOptions<EmbeddedVectorIndexOptions>().Configure<IOptions<ImageSocialOptions>, EmbeddingSpace>((o, s, space) =>
            o.LogPath = Path.Combine(s.Value.DataDirectory, "vectors", space.Id, "index.log")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddedVectorIndexOptions>, EmbeddedVectorIndexOptionsValidator>());
        services.TryAddSingleton<SqliteMetadataStore>();
        services.TryAddSingleton<IPhotoStore>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.TryAddSingleton<IUserStore>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.TryAddSingleton<ISocialGraph>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.TryAddSingleton<IInteractionStore>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.TryAddSingleton<IOutbox>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.TryAddSingleton<IBlobStore>(sp => new LocalBlobStore(sp.GetRequiredService<IOptions<LocalBlobStoreOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IVectorIndex, EmbeddedVectorIndex>();
        services.TryAddSingleton<IImageCodec>(sp => new VipsImageCodec(sp.GetRequiredService<IOptions<VipsCodecOptions>>()));
        services.TryAddSingleton<IEmbeddingEngine>(sp => new DescriptorEmbeddingEngine(sp.GetRequiredService<IImageCodec>()));
        services.TryAddSingleton<EmbeddingSpace>();

        services.TryAddSingleton<ImageSocialService>();
        services.TryAddSingleton<OutboxHandlers>();
        services.TryAddSingleton(sp => new JobRunner(sp.GetRequiredService<IOutbox>(), sp.GetRequiredService<OutboxHandlers>(), sp.GetRequiredService<ImageSocialService>(),
            sp.GetRequiredService<EmbeddingSpace>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ImageSocialOptions>>(), (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<JobRunner>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobRunner>(sp => sp.GetRequiredService<JobRunner>()));
        return new ImageSocialBuilder(services);
    }

    private sealed class ImageSocialBuilder(IServiceCollection services) : IImageSocialBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
