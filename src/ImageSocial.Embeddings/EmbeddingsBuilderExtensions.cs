using System.Globalization;
using System.Security.Cryptography;
using ImageSocial;
using ImageSocial.Embeddings;
using ImageSocial.ProviderServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an embedding engine: the model-free descriptor, or an ONNX model.</summary>
public static class EmbeddingsBuilderExtensions
{
    /// <summary>Embeds with the model-free descriptor (colour layout and gradient histograms; finds near-duplicates, knows nothing of
    /// what a photo shows), replacing any engine added before. Needs an <see cref="IImageCodec"/>.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddDescriptorEmbeddings(this IImageSocialBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.UseProvider(sp => new DescriptorEmbeddingEngine(sp.GetRequiredService<IImageCodec>()));
        return builder;
    }

    /// <summary>Embeds with an ONNX model, replacing any engine added before. Its embedding space id comes from the preset or, for a
    /// self-described model, from the file's name and content hash, so a different model file starts a new space (filled in the
    /// background).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets the model path and options.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddOnnxEmbeddings(this IImageSocialBuilder builder, Action<OnnxEmbeddingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<OnnxEmbeddingOptions>().Configure(configure);
        return RegisterOnnx(builder);
    }

    /// <summary>Embeds with an ONNX model, its <see cref="OnnxEmbeddingOptions"/> bound from configuration (e.g. <c>ImageSocial:Onnx</c>).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddOnnxEmbeddings(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<OnnxEmbeddingOptions>().Bind(configuration).PostConfigure(o =>
        {
            // The binder appends configured list items to a list that already has values, so Model:Mean and Model:Std would come out as
            // the three defaults followed by the configured three: take exactly what the configuration says.
            if (o.Model is { } model)
            {
                o.Model = model with { Mean = Exactly(configuration.GetSection("Model:Mean"), model.Mean), Std = Exactly(configuration.GetSection("Model:Std"), model.Std) };
            }
        });
        return RegisterOnnx(builder);
    }

    private static IReadOnlyList<float> Exactly(IConfigurationSection section, IReadOnlyList<float> bound)
    {
        var items = section.GetChildren().ToList();
        return items.Count == 0 ? bound : items.OrderBy(i => int.TryParse(i.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var at) ? at : int.MaxValue)
            .Select(i => float.TryParse(i.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : float.NaN).ToArray();
    }

    private static IImageSocialBuilder RegisterOnnx(IImageSocialBuilder builder)
    {
        builder.Services.AddOptions<OnnxEmbeddingOptions>()
            .PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.ModelPath) && string.Equals(o.Preset, "resnet18", StringComparison.OrdinalIgnoreCase))
                {
                    o.ModelPath = PretrainedModels.FindResNet18() ?? "";
                }
            })
            .Validate(o => File.Exists(o.ModelPath), "OnnxEmbeddingOptions.ModelPath (ImageSocial:Onnx:ModelPath) must name an existing .onnx file. " +
                $"The resnet18 preset finds its model without it when the app references {PretrainedModels.ResNet18Package} {PretrainedModels.ResNet18Version} " +
                "or that package is in the NuGet cache; looked in: " + string.Join(", ", PretrainedModels.ResNet18Candidates()) + ".")
            .Validate(o => o.Model is null || (o.Model.Mean.Count == 3 && o.Model.Std.Count == 3 && o.Model.Mean.All(float.IsFinite) && o.Model.Std.All(v => v > 0)),
                "OnnxEmbeddingOptions.Model.Mean and Std (ImageSocial:Onnx:Model:Mean, :Std) take exactly three numbers, one per channel; Std above zero.")
            .ValidateOnStart();
        builder.Services.UseProvider(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OnnxEmbeddingOptions>>().Value;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger(EmbeddingTelemetry.Name);
            var session = OnnxSession.FromFile(options.ModelPath, options.Runtime, logger);
            return new OnnxEmbeddingEngine(sp.GetRequiredService<IImageCodec>(), session, Describe(options), options.Batching, ownsSession: true);
        });
        return builder;
    }

    private static EmbeddingModel Describe(OnnxEmbeddingOptions options) => options.Model switch
    {
        { Id.Length: > 0 } model => model,
        { } model => model with { Id = FileId(options.ModelPath) },
        null => options.Preset?.ToLowerInvariant() switch
        {
            "resnet18" => EmbeddingModel.ResNet18,
            "resnet50" => EmbeddingModel.ResNet50,
            "efficientnet-b0" => EmbeddingModel.EfficientNetB0,
            "clip-vit-b32" => EmbeddingModel.ClipVitB32,
            null or "" => new EmbeddingModel { Id = FileId(options.ModelPath) },
            var other => throw new OnnxRuntimeException($"Unknown preset '{other}'; use resnet18, resnet50, efficientnet-b0 or clip-vit-b32."),
        },
    };

    /// <summary>A space id for a model file: its name and a hash of its content, so another file is another space.</summary>
    private static string FileId(string path) => $"onnx-{Path.GetFileNameWithoutExtension(path)}-{ContentHash(path)}";

    private static string ContentHash(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file))[..12];
    }
}
