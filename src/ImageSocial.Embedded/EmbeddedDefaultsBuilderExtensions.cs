using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Storage.Local;
using ImageSocial.Storage.Sqlite;
using ImageSocial.Vectors.Embedded;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds every embedded provider at once: the SDK on one machine with zero servers.</summary>
public static class EmbeddedDefaultsBuilderExtensions
{
    /// <summary>Serves every contract that no provider serves yet with its embedded default, keeping its data under
    /// <paramref name="dataDirectory"/>: metadata in SQLite (<c>imagesocial.db</c>), blobs on disk (<c>blobs/</c>), one vector index per
    /// embedding space (<c>vectors/&lt;space&gt;/</c>), images through libvips, and the model-free descriptor for embeddings.</summary>
    /// <remarks>A provider added before this call keeps its contract (so <c>.AddPostgresMetadata(…).AddEmbeddedDefaults()</c> stores
    /// metadata in PostgreSQL and everything else locally); one added after replaces the default. A provider's own options set after
    /// this call win over the folder given here.</remarks>
    /// <param name="builder">The SDK builder from <c>AddImageSocial()</c>.</param>
    /// <param name="dataDirectory">The folder the embedded providers keep their data in, created when missing. Default <c>data</c>.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddEmbeddedDefaults(this IImageSocialBuilder builder, string dataDirectory = "data")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var services = builder.Services;
        if (!services.Serves(typeof(IPhotoStore)))
        {
            services.Configure<SqliteStoreOptions>(o => o.DatabasePath = Path.Combine(dataDirectory, "imagesocial.db"));
            builder.AddSqliteMetadata();
        }

        if (!services.Serves(typeof(IBlobStore)))
        {
            services.Configure<LocalBlobStoreOptions>(o => o.RootPath = Path.Combine(dataDirectory, "blobs"));
            builder.AddLocalBlobStore();
        }

        if (!services.Serves(typeof(IImageCodec)))
        {
            builder.AddVipsImageCodec();
        }

        if (!services.Serves(typeof(IEmbeddingEngine)))
        {
            builder.AddDescriptorEmbeddings();
        }

        if (!services.Serves(typeof(IVectorIndex)))
        {
            services.Configure<EmbeddedVectorIndexOptions>(o => o.Directory = Path.Combine(dataDirectory, "vectors"));
            builder.AddEmbeddedVectorIndex();
        }

        return builder;
    }
}
