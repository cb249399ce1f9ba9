namespace ImageSocial.Embeddings;

/// <summary>Where the model is and how to run it (configuration section <c>ImageSocial:Onnx</c> in the sample host).</summary>
public sealed class OnnxEmbeddingOptions
{
    /// <summary>The .onnx file. The <c>resnet18</c> preset finds its own when this is empty (see <see cref="EmbeddingModel.ResNet18"/>).</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>A preset (<c>resnet18</c>, <c>resnet50</c>, <c>efficientnet-b0</c>, <c>clip-vit-b32</c>), or empty for a model that describes itself
    /// (one float32 input [N,3,H,W]; ImageNet mean/std).</summary>
    public string? Preset { get; set; }

    /// <summary>Overrides the whole descriptor (wins over <see cref="Preset"/>).</summary>
    public EmbeddingModel? Model { get; set; }

    /// <summary>Threads, graph optimization, CUDA.</summary>
    public OnnxRuntimeOptions Runtime { get; set; } = new() { AllowSpinning = false }; // images are decoded on the same cores

    /// <summary>Micro-batching.</summary>
    public EmbeddingBatchOptions Batching { get; set; } = new();
}
