using System.Runtime.InteropServices;
using System.Text;
using ImageSocial.Embeddings.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageSocial.Embeddings;

/// <summary>A loaded model. Thread-safe: ONNX Runtime sessions accept concurrent runs.</summary>
public sealed unsafe partial class OnnxSession : IDisposable
{
    private const int FloatElement = 1;
    private readonly OnnxRuntime runtime;
    private readonly OrtHandle session;
    private readonly OrtHandle memoryInfo;

    private OnnxSession(OnnxRuntime runtime, OrtHandle session, OrtHandle memoryInfo, bool usesCuda)
    {
        (this.runtime, this.session, this.memoryInfo, UsesCuda) = (runtime, session, memoryInfo, usesCuda);
        Inputs = Describe(input: true);
        Outputs = Describe(input: false);
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
        return Create(options ?? new(), logger, (api, env, opts, result) =>
        {
            var bytes = Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* p = bytes)
            {
                api.Check(api.CreateSession(env, p, opts, result), "CreateSession");
            }
        });
    }

    /// <summary>Loads a model from memory.</summary>
    /// <exception cref="OnnxRuntimeException">The runtime is missing or the bytes are not a model it can load.</exception>
    public static OnnxSession FromBytes(ReadOnlySpan<byte> model, OnnxRuntimeOptions? options = null, ILogger? logger = null)
    {
        var copy = model.ToArray();
        return Create(options ?? new(), logger, (api, env, opts, result) =>
        {
            fixed (byte* p = copy)
            {
                api.Check(api.CreateSessionFromArray(env, p, (nuint)copy.Length, opts, result), "CreateSessionFromArray");
            }
        });
    }

    /// <summary>Runs the model on one float32 input and returns one output.</summary>
    /// <param name="input">The input values, row-major.</param>
    /// <param name="shape">The input's shape; its element count must equal the input's length.</param>
    /// <param name="inputName">The input to feed; the model's only input when <see langword="null"/>.</param>
    /// <param name="outputName">The output to read; the model's first when <see langword="null"/>.</param>
    /// <returns>The output's values and shape.</returns>
    /// <exception cref="OnnxRuntimeException">The shape does not fit the model, or the run failed.</exception>
    public (float[] Values, long[] Shape) Run(ReadOnlySpan<float> input, ReadOnlySpan<long> shape, string? inputName = null, string? outputName = null)
    {
        if (inputName is null && Inputs.Count != 1)
        {
            throw new OnnxRuntimeException($"The model has {Inputs.Count} inputs; name the one to feed.");
        }

        var feed = inputName ?? Inputs[0].Name;
        var read = outputName ?? Outputs[0].Name;
        if (Inputs.FirstOrDefault(i => i.Name == feed) is not { ElementType: FloatElement })
        {
            throw new OnnxRuntimeException($"The model has no float32 input '{feed}'.");
        }

        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        if (count != input.Length)
        {
            throw new OnnxRuntimeException($"The shape [{string.Join(',', shape.ToArray())}] holds {count} values; the input has {input.Length}.");
        }

        var api = runtime.Api;
        nint tensor = 0, output = 0, info = 0;
        var sessionHeld = false;
        var memoryHeld = false;
        try
        {
            session.DangerousAddRef(ref sessionHeld);
            memoryInfo.DangerousAddRef(ref memoryHeld);
            fixed (float* data = input)
            fixed (long* dims = shape)
            {
                api.Check(api.CreateTensorWithData(memoryInfo.DangerousGetHandle(), data, (nuint)(input.Length * sizeof(float)), dims, (nuint)shape.Length, FloatElement, &tensor),
                    "CreateTensorWithDataAsOrtValue");
                var inputBytes = Encoding.UTF8.GetBytes(feed + "\0");
                var outputBytes = Encoding.UTF8.GetBytes(read + "\0");
                fixed (byte* i = inputBytes)
                fixed (byte* o = outputBytes)
                {
                    api.Check(api.Run(session.DangerousGetHandle(), 0, &i, &tensor, 1, &o, 1, &output), "Run");
                }
            }

            api.Check(api.GetTensorTypeAndShape(output, &info), "GetTensorTypeAndShape");
            nuint rank;
            api.Check(api.GetDimensionsCount(info, &rank), "GetDimensionsCount");
            var outShape = new long[(int)rank];
            fixed (long* d = outShape)
            {
                api.Check(api.GetDimensions(info, d, rank), "GetDimensions");
            }

            void* values;
            api.Check(api.GetTensorMutableData(output, &values), "GetTensorMutableData");
            long total = 1;
            foreach (var d in outShape)
            {
                total *= d;
            }

            return (new ReadOnlySpan<float>(values, (int)total).ToArray(), outShape);
        }
        finally
        {
            if (info != 0)
            {
                api.Release(ReleaseKind.TensorTypeAndShapeInfo, info);
            }

            if (output != 0)
            {
                api.Release(ReleaseKind.Value, output);
            }

            if (tensor != 0)
            {
                api.Release(ReleaseKind.Value, tensor);
            }

            if (sessionHeld)
            {
                session.DangerousRelease();
            }

            if (memoryHeld)
            {
                memoryInfo.DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        session.Dispose();
        memoryInfo.Dispose();
    }

    private static OnnxSession Create(OnnxRuntimeOptions options, ILogger? logger, SessionOpener open)
    {
        logger ??= NullLogger.Instance;
        var runtime = OnnxRuntime.Load(options.LibraryPath);
        var api = runtime.Api;
        nint raw;
        api.Check(api.CreateSessionOptions(&raw), "CreateSessionOptions");
        using var sessionOptions = new OrtHandle(api, ReleaseKind.SessionOptions, raw);
        api.Check(api.SetGraphOptimizationLevel(raw, (int)options.GraphOptimization), "SetSessionGraphOptimizationLevel");
        api.Check(api.SetIntraOpNumThreads(raw, options.IntraOpThreads), "SetIntraOpNumThreads");
        api.Check(api.SetInterOpNumThreads(raw, options.InterOpThreads), "SetInterOpNumThreads");
        if (!options.AllowSpinning)
        {
            fixed (byte* key = "session.intra_op.allow_spinning\0"u8)
            fixed (byte* off = "0\0"u8)
            {
                api.Check(api.AddSessionConfigEntry(raw, key, off), "AddSessionConfigEntry");
            }
        }

        var cuda = options.UseCuda && TryAppendCuda(runtime, raw, options, logger);

        nint created;
        open(api, runtime.Environment.DangerousGetHandle(), raw, &created);
        var session = new OrtHandle(api, ReleaseKind.Session, created);
        nint memory;
        api.Check(api.CreateCpuMemoryInfo(0 /* OrtDeviceAllocator */, 0 /* OrtMemTypeDefault */, &memory), "CreateCpuMemoryInfo");
        return new OnnxSession(runtime, session, new OrtHandle(api, ReleaseKind.MemoryInfo, memory), cuda);
    }

    /// <summary>Attaches the CUDA execution provider (device and memory limit through ONNX Runtime's V2 provider options) when this runtime
    /// has it; otherwise logs a warning and stays on the CPU.</summary>
    private static bool TryAppendCuda(OnnxRuntime runtime, nint options, OnnxRuntimeOptions settings, ILogger logger)
    {
        if (!runtime.AvailableProviders.Contains("CUDAExecutionProvider"))
        {
            LogCpuFallback(logger, $"this ONNX Runtime build ({runtime.Version}) has no CUDA execution provider");
            return false;
        }

        var api = runtime.Api;
        nint cuda = 0;
        try
        {
            api.Check(api.CreateCudaProviderOptions(&cuda), "CreateCUDAProviderOptions");
            var pairs = new List<(string Key, string Value)> { ("device_id", settings.CudaDeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            if (settings.CudaMemoryLimitBytes is { } limit)
            {
                pairs.Add(("gpu_mem_limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            var keys = pairs.Select(p => Marshal.StringToCoTaskMemUTF8(p.Key)).ToArray();
            var values = pairs.Select(p => Marshal.StringToCoTaskMemUTF8(p.Value)).ToArray();
            try
            {
                fixed (nint* k = keys)
                fixed (nint* v = values)
                {
                    api.Check(api.UpdateCudaProviderOptions(cuda, (byte**)k, (byte**)v, (nuint)pairs.Count), "UpdateCUDAProviderOptions");
                }
            }
            finally
            {
                keys.Concat(values).ToList().ForEach(Marshal.FreeCoTaskMem);
            }

            api.Check(api.AppendCudaV2(options, cuda), "SessionOptionsAppendExecutionProvider_CUDA_V2");
            return true;
        }
        catch (OnnxRuntimeException ex)
        {
            LogCpuFallback(logger, ex.Message);
            return false;
        }
        finally
        {
            if (cuda != 0)
            {
                api.ReleaseCudaProviderOptions(cuda);
            }
        }
    }

    private List<TensorInfo> Describe(bool input)
    {
        var api = runtime.Api;
        var handle = session.DangerousGetHandle();
        nuint count;
        api.Check(input ? api.SessionGetInputCount(handle, &count) : api.SessionGetOutputCount(handle, &count), "SessionGetInputCount");
        nint allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");
        var result = new List<TensorInfo>();
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            api.Check(input ? api.SessionGetInputName(handle, i, allocator, &name) : api.SessionGetOutputName(handle, i, allocator, &name), "SessionGetInputName");
            var text = Marshal.PtrToStringUTF8((nint)name) ?? "";
            api.Check(api.AllocatorFree(allocator, name), "AllocatorFree");
            nint typeInfo;
            api.Check(input ? api.SessionGetInputTypeInfo(handle, i, &typeInfo) : api.SessionGetOutputTypeInfo(handle, i, &typeInfo), "SessionGetInputTypeInfo");
            try
            {
                nint tensorInfo;
                api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), "CastTypeInfoToTensorInfo");
                int elementType = 0;
                var shape = Array.Empty<long>();
                if (tensorInfo != 0)
                {
                    api.Check(api.GetTensorElementType(tensorInfo, &elementType), "GetTensorElementType");
                    nuint rank;
                    api.Check(api.GetDimensionsCount(tensorInfo, &rank), "GetDimensionsCount");
                    shape = new long[(int)rank];
                    fixed (long* d = shape)
                    {
                        api.Check(api.GetDimensions(tensorInfo, d, rank), "GetDimensions");
                    }
                }

                result.Add(new TensorInfo(text, elementType, shape));
            }
            finally
            {
                api.Release(ReleaseKind.TypeInfo, typeInfo);
            }
        }

        return result;
    }

    private delegate void SessionOpener(OrtApi api, nint environment, nint options, nint* session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA is not available ({Reason}); ONNX Runtime runs this model on the CPU.")]
    private static partial void LogCpuFallback(ILogger logger, string reason);
}
