namespace ImageSocial.SampleHost;

/// <summary>Chooses the SDK's providers from configuration (<c>ImageSocial:Providers:*</c>); each provider binds its own section.</summary>
/// <remarks>Each key names one provider; what no key names runs on the embedded defaults under the data folder. A name this host does
/// not know stops start-up with a message listing the known ones, rather than silently running on the defaults.</remarks>
internal static class Providers
{
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Metadata"] = ["sqlite", "postgres"],
        ["Blobs"] = ["local", "s3"],
        ["Vectors"] = ["embedded", "qdrant", "milvus"],
        ["Embeddings"] = ["descriptor", "onnx"],
        ["Cache"] = ["none", "redis"],
        ["Jobs"] = ["outbox", "redis"],
        ["Video"] = ["ffmpeg", "none"],
    };

    /// <param name="builder">The SDK builder.</param>
    /// <param name="imageSocial">The <c>ImageSocial</c> configuration section.</param>
    /// <param name="data">The data folder of the embedded providers.</param>
    public static void Apply(IImageSocialBuilder builder, IConfigurationSection imageSocial, DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = imageSocial.GetSection("Providers");
        foreach (var child in section.GetChildren())
        {
            if (!Known.TryGetValue(child.Key, out var names))
            {
                throw new InvalidOperationException($"Unknown provider kind 'ImageSocial:Providers:{child.Key}'; known kinds: {string.Join(", ", Known.Keys)}.");
            }

            if (!names.Contains(child.Value, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Unknown {child.Key} provider '{child.Value}'; this host knows: {string.Join(", ", names)}.");
            }
        }

        if (Is(section, "Metadata", "postgres"))
        {
            builder.AddPostgresMetadata(imageSocial.GetSection("Postgres"));
        }

        if (Is(section, "Blobs", "s3"))
        {
            // Content is still streamed through the host (see PhotoEndpoints): a presigned URL would outlive a visibility change.
            builder.AddS3BlobStore(imageSocial.GetSection("S3"));
        }
        else
        {
            // The local store's at-rest encryption: ImageSocial:LocalBlobs:Encryption:CurrentKeyId and :Keys:{id} (base64, 256 bits).
            builder.Services.Configure<ImageSocial.Storage.Local.LocalBlobStoreOptions>(o => imageSocial.GetSection("LocalBlobs:Encryption").Bind(o.Encryption));
        }

        // One ImageSocial:Redis section serves both: the cache (read-through, invalidated on every write) and the job hand-out to every host.
        if (Is(section, "Cache", "redis"))
        {
            builder.AddRedisCache(imageSocial.GetSection("Redis"));
        }

        if (Is(section, "Jobs", "redis"))
        {
            builder.AddRedisJobs(imageSocial.GetSection("Redis"));
        }

        // Hybrid feeds keep their timelines in the metadata store unless ImageSocial:Feed:Store says redis.
        if (string.Equals(imageSocial["Feed:Store"], "redis", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddRedisTimelines(imageSocial.GetSection("Redis"));
        }

        // With Redis configured at all, new-post announcements (GET /api/feed/events) reach the viewers connected to every host.
        if (!string.IsNullOrEmpty(imageSocial["Redis:Configuration"]))
        {
            builder.AddRedisFeedEvents(imageSocial.GetSection("Redis"));
        }

        // Videos are accepted unless ImageSocial:Providers:Video is none; ffmpeg and ffprobe come from PATH or ImageSocial:FFmpeg.
        if (!Is(section, "Video", "none"))
        {
            builder.AddFFmpegVideo(imageSocial.GetSection("FFmpeg"));
        }

        if (Is(section, "Embeddings", "onnx"))
        {
            builder.AddOnnxEmbeddings(imageSocial.GetSection("Onnx"));
        }

        // Qdrant (ImageSocial:Qdrant) or Milvus (ImageSocial:Milvus) hold the vectors of a cluster; a host that moves to one loads it from
        // the stored embeddings with `./build.sh vectors rebuild` (or lets its catch-up replay the change feed).
        if (Is(section, "Vectors", "qdrant"))
        {
            builder.AddQdrantVectorIndex(imageSocial.GetSection("Qdrant"));
        }
        else if (Is(section, "Vectors", "milvus"))
        {
            builder.AddMilvusVectorIndex(imageSocial.GetSection("Milvus"));
        }
        else
        {
            // The embedded index takes its tuning from ImageSocial:EmbeddedVectors, its folder from the data folder unless that says otherwise.
            builder.Services.Configure<Vectors.Embedded.EmbeddedVectorIndexOptions>(o => o.Directory = Path.Combine(data.Path, "vectors"));
            builder.AddEmbeddedVectorIndex(imageSocial.GetSection("EmbeddedVectors"));
        }

        builder.AddEmbeddedDefaults(data.Path);
    }

    private static bool Is(IConfigurationSection providers, string kind, string name) => string.Equals(providers[kind], name, StringComparison.OrdinalIgnoreCase);
}
