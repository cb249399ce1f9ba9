namespace ImageSocial.Embeddings;

/// <summary>A tensor's name, element type and shape as the model declares it (−1 for a dynamic dimension).</summary>
/// <param name="Name">The input or output name.</param>
/// <param name="ElementType">ONNX's element type (1 is float32).</param>
/// <param name="Shape">The dimensions.</param>
public sealed record TensorInfo(string Name, int ElementType, IReadOnlyList<long> Shape);
