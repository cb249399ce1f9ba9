using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ort = Microsoft.ML.OnnxRuntime;

namespace ImageSocial.Embeddings;

/// <summary>A loaded model over ONNX Runtime's <c>InferenceSession</c>. Thread-safe: the runtime accepts concurrent runs.</summary>
public sealed partial class OnnxSession : IDisposable
{
    private const int FloatElement = 1;
    private readonly Ort.InferenceSession session;

    private OnnxSession(Ort.InferenceSession session, bool usesCuda)
    {
        (this.session, UsesCuda) = (session, usesCuda);
        Inputs = Describe(session.InputMetadata);
        Outputs = Describe(session.OutputMetadata);
    }

    /// <summary>The model's inputs.</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>The model's outputs.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Whether the CUDA execution provider was attached.</summary>
    public bool UsesCuda { get; }

    /// <summary>Loads a model from a file.</summary>
    /// <exception cref="OnnxRuntimeException">The runtime is missing or the file is not a model it can load.</exception>
    public static OnnxSession FromFile(string path, OnnxRuntimeOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Create(options ?? new(), logger, o => new Ort.InferenceSession(path, o));
    }

    /// <summary>Loads a model from memory.</summary>
    /// <exception cref="OnnxRuntimeException">The runtime is missing or the bytes are not a model it can load.</exception>
    public static OnnxSession FromBytes(ReadOnlySpan<byte> model, OnnxRuntimeOptions? options = null, ILogger? logger = null)
    {
        var copy = model.ToArray();
        return Create(options ?? new(), logger, o => new Ort.InferenceSession(copy, o));
    }

    /// <summary>Runs the model on one float32 input and returns one output. The input is handed to the runtime where it lies (pinned,
    /// not copied) and, when the output's shape follows from the input's batch, the output is written into a buffer allocated here
    /// (I/O binding) rather than copied out of the runtime's.</summary>
    /// <param name="input">The input values, row-major.</param>
    /// <param name="shape">The input's shape; its element count must equal the input's length.</param>
    /// <param name="inputName">The input to feed; the model's only input when <see langword="null"/>.</param>
    /// <param name="outputName">The output to read; the model's first when <see langword="null"/>.</param>
    /// <returns>The output's values and shape.</returns>
    /// <exception cref="OnnxRuntimeException">The shape does not fit the model, or the run failed.</exception>
    public (float[] Values, long[] Shape) Run(Memory<float> input, ReadOnlySpan<long> shape, string? inputName = null, string? outputName = null)
    {
        if (inputName is null && Inputs.Count != 1)
        {
            throw new OnnxRuntimeException($"The model has {Inputs.Count} inputs; name the one to feed.");
        }

        var feed = inputName ?? Inputs[0].Name;
        var read = Outputs.FirstOrDefault(o => o.Name == (outputName ?? Outputs[0].Name))
            ?? throw new OnnxRuntimeException($"The model has no output '{outputName}'.");
        if (Inputs.FirstOrDefault(i => i.Name == feed) is not { ElementType: FloatElement })
        {
            throw new OnnxRuntimeException($"The model has no float32 input '{feed}'.");
        }

        var dims = shape.ToArray();
        var count = dims.Aggregate(1L, (a, d) => a * d);
        if (count != input.Length)
        {
            throw new OnnxRuntimeException($"The shape [{string.Join(',', dims)}] holds {count} values; the input has {input.Length}.");
        }

        return Translate(() =>
        {
            using var inputValue = Ort.OrtValue.CreateTensorValueFromMemory(Ort.OrtMemoryInfo.DefaultInstance, input, dims);
            if (OutputShape(read, dims[0]) is { } outShape)
            {
                var values = new float[outShape.Aggregate(1L, (a, d) => a * d)];
                using var outputValue = Ort.OrtValue.CreateTensorValueFromMemory(values, outShape);
                using var binding = session.CreateIoBinding();
                using var runOptions = new Ort.RunOptions();
                binding.BindInput(feed, inputValue);
                binding.BindOutput(read.Name, outputValue);
                session.RunWithBinding(runOptions, binding);
                return (values, outShape);
            }

            using var run = new Ort.RunOptions();
            using var results = session.Run(run, [feed], [inputValue], [read.Name]);
            var result = results[0];
            return (result.GetTensorDataAsSpan<float>().ToArray(), result.GetTensorTypeAndShape().Shape);
        });
    }

    /// <inheritdoc />
    public void Dispose() => session.Dispose();

    /// <summary>The output's shape for a batch, when the model fixes every other dimension.</summary>
    private static long[]? OutputShape(TensorInfo output, long batch)
    {
        if (output.ElementType != FloatElement || output.Shape.Count == 0)
        {
            return null;
        }

        var shape = output.Shape.ToArray();
        shape[0] = shape[0] <= 0 ? batch : shape[0];
        return shape[0] == batch && shape.All(d => d > 0) ? shape : null;
    }

    private static OnnxSession Create(OnnxRuntimeOptions options, ILogger? logger, Func<Ort.SessionOptions, Ort.InferenceSession> open)
    {
        logger ??= NullLogger.Instance;
        return Translate(() =>
        {
            using var sessionOptions = SessionOptions(options);
            var cuda = options.UseCuda && TryAppendCuda(sessionOptions, options, logger);
            try
            {
                return new OnnxSession(open(sessionOptions), cuda);
            }
            catch (Ort.OnnxRuntimeException ex) when (cuda)
            {
                // The GPU build attaches CUDA lazily: without a GPU or its libraries the session itself fails; run on the CPU instead.
                LogCpuFallback(logger, ex.Message);
                using var cpuOnly = SessionOptions(options);
                return new OnnxSession(open(cpuOnly), false);
            }
        });
    }

    private static Ort.SessionOptions SessionOptions(OnnxRuntimeOptions options)
    {
        _ = OnnxRuntime.Version; // a missing native library fails here, as a typed error that names the package
        var result = new Ort.SessionOptions
        {
            GraphOptimizationLevel = (Ort.GraphOptimizationLevel)(int)options.GraphOptimization,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
        };
        if (!options.AllowSpinning)
        {
            result.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        return result;
    }

    /// <summary>Attaches the CUDA execution provider (device and memory limit through its documented provider options) when this runtime
    /// has it; otherwise logs a warning and stays on the CPU.</summary>
    private static bool TryAppendCuda(Ort.SessionOptions sessionOptions, OnnxRuntimeOptions settings, ILogger logger)
    {
        if (!OnnxRuntime.AvailableProviders.Contains("CUDAExecutionProvider"))
        {
            LogCpuFallback(logger, $"this ONNX Runtime build ({OnnxRuntime.Version}) has no CUDA execution provider; the application references " +
                "Microsoft.ML.OnnxRuntime rather than Microsoft.ML.OnnxRuntime.Gpu");
            return false;
        }

        try
        {
            using var cuda = new Ort.OrtCUDAProviderOptions();
            var values = new Dictionary<string, string> { ["device_id"] = settings.CudaDeviceId.ToString(CultureInfo.InvariantCulture) };
            if (settings.CudaMemoryLimitBytes is { } limit)
            {
                values["gpu_mem_limit"] = limit.ToString(CultureInfo.InvariantCulture);
            }

            cuda.UpdateOptions(values);
            sessionOptions.AppendExecutionProvider_CUDA(cuda);
            return true;
        }
        catch (Ort.OnnxRuntimeException ex)
        {
            LogCpuFallback(logger, ex.Message);
            return false;
        }
    }

    private static List<TensorInfo> Describe(IReadOnlyDictionary<string, Ort.NodeMetadata> nodes) =>
        nodes.Select(n => new TensorInfo(n.Key, n.Value.IsTensor ? (int)n.Value.ElementDataType : 0,
            n.Value.IsTensor ? n.Value.Dimensions.Select(d => (long)d).ToArray() : [])).ToList();

    /// <summary>Runs a call into the runtime, turning its errors into the SDK's typed one (with the runtime's error code).</summary>
    private static T Translate<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Ort.OnnxRuntimeException ex)
        {
            throw new OnnxRuntimeException(ex.Message, ErrorCodeOf(ex.Message), ex);
        }
    }

    /// <summary>The runtime's managed exception carries its code only in the message, as <c>[ErrorCode:InvalidArgument]</c>; the names
    /// are those of the C API's <c>OrtErrorCode</c>, in its order.</summary>
    private static int ErrorCodeOf(string message)
    {
        var start = message.IndexOf("[ErrorCode:", StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf(']', start);
        return end > 0 ? Math.Max(0, Array.IndexOf(OrtErrorCodes, message[(start + 11)..end])) : 0;
    }

    private static readonly string[] OrtErrorCodes = ["Ok", "Fail", "InvalidArgument", "NoSuchFile", "NoModel", "EngineError", "RuntimeException",
        "InvalidProtobuf", "ModelLoaded", "NotImplemented", "InvalidGraph", "ShapeInferenceNotRegistered", "RequirementNotRegistered"];

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA is not available ({Reason}); ONNX Runtime runs this model on the CPU.")]
    private static partial void LogCpuFallback(ILogger logger, string reason);
}
