namespace ImageSocial.Embeddings;

/// <summary>Where the <c>resnet18</c> preset finds its model when <see cref="OnnxEmbeddingOptions.ModelPath"/> is unset: the NuGet package
/// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1 ships it as <c>tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx</c>, and an app
/// that references the package gets a copy under <c>DnnImageModels/</c> in its output folder.</summary>
internal static class PretrainedModels
{
    internal const string ResNet18Package = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    internal const string ResNet18Version = "0.23.1";
    private const string ResNet18File = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>The places searched, in order: the app's output folder, then the NuGet package cache (<c>$NUGET_PACKAGES</c> or
    /// <c>~/.nuget/packages</c>).</summary>
    internal static IEnumerable<string> ResNet18Candidates()
    {
        yield return Path.Combine(AppContext.BaseDirectory, ResNet18File);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        yield return Path.Combine(cache, ResNet18Package.ToLowerInvariant(), ResNet18Version, "tools", ResNet18File);
    }

    internal static string? FindResNet18() => ResNet18Candidates().FirstOrDefault(File.Exists);
}
