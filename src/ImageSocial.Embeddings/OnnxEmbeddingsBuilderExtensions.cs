using System.Security.Cryptography;
using ImageSocial;
using ImageSocial.Embeddings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Where the model is and how to run it (configuration section of the host's choosing).</summary>
public sealed class OnnxEmbeddingOptions
{
    /// <summary>The .onnx file.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>A preset (<c>resnet50</c>, <c>efficientnet-b0</c>, <c>clip-vit-b32</c>), or empty for a model that describes itself
    /// (one float32 input [N,3,H,W]; ImageNet mean/std).</summary>
    public string? Preset { get; set; }

    /// <summary>Overrides the whole descriptor (wins over <see cref="Preset"/>).</summary>
    public EmbeddingModel? Model { get; set; }

    /// <summary>Threads, graph optimization, CUDA.</summary>
    public OnnxRuntimeOptions Runtime { get; set; } = new() { AllowSpinning = false }; // images are decoded on the same cores

    /// <summary>Micro-batching.</summary>
    public EmbeddingBatchOptions Batching { get; set; } = new();
}

/// <summary>Registers the ONNX embedding engine in place of the model-free default.</summary>
public static class OnnxEmbeddingsBuilderExtensions
{
    /// <summary>Embeds with an ONNX model. Its embedding space id comes from the preset or, for a self-described model, from the file's
    /// name and content hash, so a different model file starts a new space (filled in the background).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets the model path and options.</param>
    public static IImageSocialBuilder AddOnnxEmbeddings(this IImageSocialBuilder builder, Action<OnnxEmbeddingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OnnxEmbeddingOptions>().Configure(configure)
            .Validate(o => File.Exists(o.ModelPath), "OnnxEmbeddingOptions.ModelPath must name an existing .onnx file.").ValidateOnStart();
        builder.Services.RemoveAll<IEmbeddingEngine>();
        builder.Services.AddSingleton<IEmbeddingEngine>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("ImageSocial.Embeddings");
            var session = OnnxSession.FromFile(options.ModelPath, options.Runtime, logger);
            return new OnnxEmbeddingEngine(sp.GetRequiredService<IImageCodec>(), session, Describe(options), options.Batching);
        });
        return builder;
    }

    private static EmbeddingModel Describe(OnnxEmbeddingOptions options) => options.Model ?? (options.Preset?.ToLowerInvariant() switch
    {
        "resnet50" => EmbeddingModel.ResNet50,
        "efficientnet-b0" => EmbeddingModel.EfficientNetB0,
        "clip-vit-b32" => EmbeddingModel.ClipVitB32,
        null or "" => new EmbeddingModel { Id = $"onnx-{Path.GetFileNameWithoutExtension(options.ModelPath)}-{ContentHash(options.ModelPath)}" },
        var other => throw new OnnxRuntimeException($"Unknown preset '{other}'; use resnet50, efficientnet-b0 or clip-vit-b32."),
    });

    private static string ContentHash(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file))[..12];
    }
}
