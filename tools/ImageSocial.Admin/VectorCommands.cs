using System.Globalization;
using System.Text.Json;
using ImageSocial.Embeddings;
using ImageSocial.Vectors.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Admin;

/// <summary><c>vectors rebuild --space ID</c>: loads the embeddings stored with the photos into the vector index the settings name
/// (the embedded one under the data folder or <c>ImageSocial:EmbeddedVectors:Directory</c>; Qdrant or Milvus with
/// <c>ImageSocial:Providers:Vectors</c>) without running the model, and leaves the index's change-feed position where the rebuild
/// started, so the hosts catch up from there. Moving a deployment to Qdrant or Milvus is this command, then the new setting on every host.</summary>
internal static class VectorCommands
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        if (arguments.Command != "rebuild")
        {
            throw new FormatException($"unknown command 'vectors {arguments.Command}'");
        }

        var space = arguments.Required("space");
        var settings = arguments.Settings();
        var data = arguments.DataDirectory(settings);
        var services = new ServiceCollection();
        var builder = services.AddImageSocial(settings.GetSection("ImageSocial"));
        services.Configure<ImageSocialOptions>(o => (o.Jobs.Enabled, o.IndexSync.Enabled) = (false, false));
        DeadLetterCommands.AddMetadata(arguments, builder);
        if (string.Equals(settings["ImageSocial:Providers:Embeddings"], "onnx", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddOnnxEmbeddings(settings.GetSection("ImageSocial:Onnx"));
        }

        var target = AddIndex(builder, settings, data);
        builder.AddEmbeddedDefaults(data);
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IEmbeddingEngine>();
        if (engine.ModelId != space)
        {
            throw new ValidationException($"The deployment's settings embed into space '{engine.ModelId}', not '{space}': configure the model of that space, or name this one.");
        }

        await output.WriteLineAsync($"loading the stored embeddings of space {space} into {target} (no model runs)").ConfigureAwait(false);
        var sdk = provider.GetRequiredService<ImageSocialService>();
        var report = await sdk.Index.RebuildAsync(new LineProgress(output), cancellationToken).ConfigureAwait(false);
        if (arguments.Has("json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { space = report.Space, vectors = report.Vectors, seconds = Math.Round(report.Elapsed.TotalSeconds, 3) }))
                .ConfigureAwait(false);
        }

        var held = await provider.GetRequiredService<IVectorIndex>().CountAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"done: {report.Vectors} vectors in {report.Elapsed.TotalSeconds:F1} s ({report.Vectors / Math.Max(report.Elapsed.TotalSeconds, 1e-6):F0} vectors/s); the index now holds {held}"))
            .ConfigureAwait(false);
        return 0;
    }

    /// <summary>Adds the vector provider the settings name (<c>ImageSocial:Providers:Vectors</c> embedded, qdrant or milvus, as in the
    /// sample host) and says where the vectors go.</summary>
    private static string AddIndex(IImageSocialBuilder builder, IConfiguration settings, string data)
    {
        switch (settings["ImageSocial:Providers:Vectors"]?.ToLowerInvariant())
        {
            case "qdrant":
                builder.AddQdrantVectorIndex(settings.GetSection("ImageSocial:Qdrant"));
                return $"Qdrant at {settings["ImageSocial:Qdrant:Endpoint"] ?? "the default endpoint"}";
            case "milvus":
                builder.AddMilvusVectorIndex(settings.GetSection("ImageSocial:Milvus"));
                return $"Milvus at {settings["ImageSocial:Milvus:Endpoint"] ?? "the default endpoint"}";
            case null or "" or "embedded":
                builder.Services.Configure<EmbeddedVectorIndexOptions>(o => o.Directory = Path.Combine(data, "vectors"));
                builder.AddEmbeddedVectorIndex(settings.GetSection("ImageSocial:EmbeddedVectors"));
                return "the embedded vector index";
            case var other:
                throw new FormatException($"unknown vector provider '{other}' in ImageSocial:Providers:Vectors; known: embedded, qdrant, milvus");
        }
    }

    /// <summary>One line per page while the rebuild runs.</summary>
    private sealed class LineProgress(TextWriter output) : IProgress<long>
    {
        private long last;

        public void Report(long value)
        {
            // Every 10,000 vectors, so a large store prints a line every few seconds.
            if (value / 10_000 != last / 10_000)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value} vectors loaded"));
            }

            last = value;
        }
    }
}
