using Microsoft.Extensions.Logging;

namespace ImageSocial.Embeddings.Tests;

public sealed class OnnxSessionTests(TestModels models) : IClassFixture<TestModels>
{
    [Theory]
    [InlineData("linear")]
    [InlineData("conv")]
    [InlineData("conv_map")] // an output whose size is only known after the run: the runtime allocates it rather than a bound buffer
    public void Outputs_match_the_numpy_reference(string name)
    {
        using var session = OnnxSession.FromFile(models.Model(name), new OnnxRuntimeOptions { IntraOpThreads = 1 });
        var (input, shape, expected, expectedShape) = models.Expected(name);
        var (output, outputShape) = session.Run(input, shape);
        Assert.Equal(expectedShape, outputShape);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - output[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{name}[{i}]: {output[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Names_and_shapes_are_read_from_the_model_and_bytes_load_like_files()
    {
        using var session = OnnxSession.FromBytes(File.ReadAllBytes(models.Model("linear")));
        var input = Assert.Single(session.Inputs);
        Assert.Equal(("pixels", 1), (input.Name, input.ElementType));
        Assert.Equal([-1L, 3, 4, 4], input.Shape);
        Assert.Equal("embedding", Assert.Single(session.Outputs).Name);
        var (values, shape) = session.Run(new float[48], [1, 3, 4, 4]);
        Assert.Equal([1L, 8], shape);
        Assert.Equal(8, values.Length);
    }

    [Fact]
    public void Bad_models_shapes_and_libraries_give_typed_errors()
    {
        var corrupt = models.Folder.File("corrupt.onnx");
        File.WriteAllBytes(corrupt, [0x08, 0x07, 0xFF, 0x00, 0x13, 0x37]);
        var unreadable = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.FromFile(corrupt));
        Assert.Contains("corrupt.onnx", unreadable.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, unreadable.ErrorCode);
        Assert.Throws<OnnxRuntimeException>(() => OnnxSession.FromFile(models.Folder.File("absent.onnx")));

        using var session = OnnxSession.FromFile(models.Model("conv"));
        var wrongShape = Assert.Throws<OnnxRuntimeException>(() => session.Run(new float[75], [1, 3, 5, 5]));
        Assert.NotEqual(0, wrongShape.ErrorCode);
        Assert.Throws<OnnxRuntimeException>(() => session.Run(new float[10], [1, 3, 4, 4]));
        Assert.Contains("no output 'nothing'", Assert.Throws<OnnxRuntimeException>(() => session.Run(new float[48], [1, 3, 4, 4], outputName: "nothing")).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_cpu_package_cuda_falls_back_to_the_cpu_with_a_warning_that_names_the_gpu_package()
    {
        var logger = new ListLogger();
        Assert.Contains("CPUExecutionProvider", OnnxRuntime.AvailableProviders);
        Assert.DoesNotContain("CUDAExecutionProvider", OnnxRuntime.AvailableProviders);
        Assert.StartsWith("1.31.", OnnxRuntime.Version, StringComparison.Ordinal);
        using var session = OnnxSession.FromFile(models.Model("linear"), new OnnxRuntimeOptions { UseCuda = true, CudaMemoryLimitBytes = 1L << 30 }, logger);
        Assert.False(session.UsesCuda);
        var warning = Assert.Single(logger.Messages, m => m.Level == LogLevel.Warning);
        Assert.Contains("runs this model on the CPU", warning.Text, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", warning.Text, StringComparison.Ordinal);
        Assert.Equal(16, session.Run(new float[96], [2, 3, 4, 4]).Values.Length);
    }
}
