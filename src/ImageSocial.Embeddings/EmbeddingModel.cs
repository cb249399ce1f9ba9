namespace ImageSocial.Embeddings;

/// <summary>How to feed a model and read its embedding. <see langword="null"/> members are read from the model or defaulted.</summary>
public sealed record EmbeddingModel
{
    /// <summary>The embedding space's id (model and version), stored with every vector.</summary>
    public string Id { get; init; } = "";

    /// <summary>The input tensor; the model's only input when <see langword="null"/>.</summary>
    public string? InputName { get; init; }

    /// <summary>Input width and height; read from the model when it fixes them, else 224.</summary>
    public int? Size { get; init; }

    /// <summary>Channel layout of the input.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;

    /// <summary>Whether the model expects BGR rather than RGB.</summary>
    public bool Bgr { get; init; }

    /// <summary>Per-channel mean (of values in 0..1); ImageNet's by default.</summary>
    public IReadOnlyList<float> Mean { get; init; } = ModelInputSpec.ImageNetMean;

    /// <summary>Per-channel standard deviation; ImageNet's by default.</summary>
    public IReadOnlyList<float> Std { get; init; } = ModelInputSpec.ImageNetStd;

    /// <summary>How the image is fitted to the input.</summary>
    public ResizeMode Crop { get; init; } = ResizeMode.CenterCrop;

    /// <summary>The output tensor; the model's first output when <see langword="null"/>.</summary>
    public string? OutputName { get; init; }

    /// <summary>How a feature map ([N, C, H, W]) becomes a vector; an output already [N, D] is used as it is.</summary>
    public Pooling Pooling { get; init; } = Pooling.Mean;

    /// <summary>Whether vectors are L2-normalized (the SDK's contract expects it). Default true.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>ResNet-18 with ImageNet weights as the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1 ships it (input
    /// <c>Input247</c> [1,3,224,224], output <c>Pooling395_Output_0</c> [1,512,1,1]), fed as the package's own preprocessing graph
    /// (<c>ResNetPreprocess.onnx</c>) prepares it: B, G, R channels on the 0–255 scale minus a mean image, whose per-channel averages
    /// (R 123.15, G 115.90, B 103.06) are used here; the image is centre-cropped to 224×224. 512-d.</summary>
    public static EmbeddingModel ResNet18 { get; } = new()
    {
        Id = "resnet18-imagenet-dnnfeaturizer-0.23.1",
        InputName = "Input247",
        OutputName = "Pooling395_Output_0",
        Size = 224,
        Bgr = true,
        Mean = [123.15163f / 255f, 115.902885f / 255f, 103.06262f / 255f],
        Std = [1f / 255f, 1f / 255f, 1f / 255f],
    };

    /// <summary>ResNet-50 (ImageNet weights): 224×224, centre crop, ImageNet mean/std, the 2048-d pooled features.</summary>
    public static EmbeddingModel ResNet50 { get; } = new() { Id = "resnet50-imagenet-v1", Size = 224 };

    /// <summary>EfficientNet-B0 (ImageNet weights): 224×224, ImageNet mean/std, the 1280-d pooled features.</summary>
    public static EmbeddingModel EfficientNetB0 { get; } = new() { Id = "efficientnet-b0-imagenet-v1", Size = 224 };

    /// <summary>CLIP ViT-B/32 image encoder: 224×224, centre crop, CLIP's mean/std, the 512-d image embedding.</summary>
    public static EmbeddingModel ClipVitB32 { get; } = new()
    {
        Id = "clip-vit-b32-image-v1",
        Size = 224,
        Mean = [0.48145466f, 0.4578275f, 0.40821073f],
        Std = [0.26862954f, 0.26130258f, 0.27577711f],
    };
}
