namespace ImageSocial.Embeddings;

/// <summary>How ONNX Runtime sessions run. The runtime itself is the native package the application references.</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose. Default 0.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads across independent operators; 0 lets ONNX Runtime choose. Default 0.</summary>
    public int InterOpThreads { get; set; }

    /// <summary>Whether ONNX Runtime's worker threads spin while waiting for work. Spinning shaves latency off a machine that runs
    /// nothing else, and takes cycles from decoding when images are prepared on the same cores. Default <see langword="true"/>.</summary>
    public bool AllowSpinning { get; set; } = true;

    /// <summary>Graph optimizations applied when a session loads. Default <see cref="GraphOptimization.All"/>.</summary>
    public GraphOptimization GraphOptimization { get; set; } = GraphOptimization.All;

    /// <summary>Whether to ask for the CUDA execution provider; without it (or without a GPU) sessions run on the CPU and a warning
    /// is logged. Default <see langword="false"/>.</summary>
    public bool UseCuda { get; set; }

    /// <summary>The CUDA device. Default 0.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>The most GPU memory the CUDA provider's arena may take, in bytes; <see langword="null"/> leaves ONNX Runtime's default
    /// (no limit).</summary>
    public long? CudaMemoryLimitBytes { get; set; }
}
