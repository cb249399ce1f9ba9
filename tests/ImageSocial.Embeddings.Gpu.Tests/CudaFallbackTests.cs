using ImageSocial.Embeddings.Tests;
using Microsoft.Extensions.Logging;

namespace ImageSocial.Embeddings.Gpu.Tests;

/// <summary>ONNX Runtime's GPU build on a machine without a GPU — the only CUDA behaviour that can run here: the session asks for the
/// CUDA execution provider, the runtime cannot start it, and the session runs on the CPU with a logged warning. Nothing here ran on a
/// GPU.</summary>
public sealed class CudaFallbackTests(TestModels models, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<TestModels>
{
    [Fact]
    public void The_gpu_build_asks_for_cuda_and_without_a_gpu_runs_on_the_cpu_with_a_warning()
    {
        // The GPU package's runtime has the CUDA provider: that is what makes the request real rather than refused up front.
        Assert.Contains("CUDAExecutionProvider", OnnxRuntime.AvailableProviders);
        Assert.StartsWith("1.31.", OnnxRuntime.Version, StringComparison.Ordinal);

        var logger = new ListLogger();
        using var session = OnnxSession.FromFile(models.Model("linear"), new OnnxRuntimeOptions { UseCuda = true, CudaDeviceId = 0, CudaMemoryLimitBytes = 1L << 30 }, logger);

        Assert.False(session.UsesCuda);
        var warning = Assert.Single(logger.Messages, m => m.Level == LogLevel.Warning);
        output.WriteLine(warning.Text);
        Assert.Contains("runs this model on the CPU", warning.Text, StringComparison.Ordinal);
        Assert.Contains("CUDA", warning.Text[..warning.Text.IndexOf(';', StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.ML.OnnxRuntime.Gpu", warning.Text, StringComparison.Ordinal); // the reason is the runtime's, not "wrong package"
        var (values, shape) = session.Run(new float[96], [2, 3, 4, 4]);
        Assert.Equal([2L, 8], shape);
        Assert.Equal(16, values.Length);
    }
}
