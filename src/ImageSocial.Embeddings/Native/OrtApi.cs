using System.Runtime.InteropServices;

namespace ImageSocial.Embeddings.Native;

/// <summary>ONNX Runtime's C API: <c>OrtGetApiBase()-&gt;GetApi(version)</c> returns a table of function pointers, stable by index
/// (the runtime only appends). The indices below are those of <c>struct OrtApi</c> in <c>onnxruntime_c_api.h</c>.</summary>
internal sealed unsafe class OrtApi
{
    /// <summary>The API version asked for; every runtime from 1.16 on serves it.</summary>
    private const uint Version = 16;

    private readonly nint* table;

    private OrtApi(nint library, nint* table, string version)
    {
        Library = library;
        this.table = table;
        RuntimeVersion = version;
    }

    public nint Library { get; }

    public string RuntimeVersion { get; }

    public static OrtApi Load(string path)
    {
        nint library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new OnnxRuntimeException($"ONNX Runtime could not be loaded from {path}: {ex.Message}", 0, ex);
        }

        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
        {
            throw new OnnxRuntimeException($"{path} does not export OrtGetApiBase; it is not ONNX Runtime.");
        }

        var apiBase = ((delegate* unmanaged<nint*>)getApiBase)();
        var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
        var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((nint)getVersion()) ?? "?";
        var table = getApi(Version);
        return table is null
            ? throw new OnnxRuntimeException($"ONNX Runtime {version} at {path} does not serve API version {Version} (1.16 or newer is needed).")
            : new OrtApi(library, table, version);
    }

    // Status (0-2) and environment (3).
    public int GetErrorCode(nint status) => ((delegate* unmanaged<nint, int>)table[1])(status);

    public byte* GetErrorMessage(nint status) => ((delegate* unmanaged<nint, byte*>)table[2])(status);

    public nint CreateEnv(int level, byte* logId, nint* env) => ((delegate* unmanaged<int, byte*, nint*, nint>)table[3])(level, logId, env);

    // Sessions (7-10, 23-25, 30-37).
    public nint CreateSession(nint env, byte* path, nint options, nint* session) =>
        ((delegate* unmanaged<nint, byte*, nint, nint*, nint>)table[7])(env, path, options, session);

    public nint CreateSessionFromArray(nint env, void* data, nuint length, nint options, nint* session) =>
        ((delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)table[8])(env, data, length, options, session);

    public nint Run(nint session, nint runOptions, byte** inputNames, nint* inputs, nuint inputCount, byte** outputNames, nuint outputCount, nint* outputs) =>
        ((delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)table[9])(session, runOptions, inputNames, inputs, inputCount, outputNames, outputCount, outputs);

    public nint CreateSessionOptions(nint* options) => ((delegate* unmanaged<nint*, nint>)table[10])(options);

    public nint SetGraphOptimizationLevel(nint options, int level) => ((delegate* unmanaged<nint, int, nint>)table[23])(options, level);

    public nint SetIntraOpNumThreads(nint options, int threads) => ((delegate* unmanaged<nint, int, nint>)table[24])(options, threads);

    public nint SetInterOpNumThreads(nint options, int threads) => ((delegate* unmanaged<nint, int, nint>)table[25])(options, threads);

    public nint SessionGetInputCount(nint session, nuint* count) => ((delegate* unmanaged<nint, nuint*, nint>)table[30])(session, count);

    public nint SessionGetOutputCount(nint session, nuint* count) => ((delegate* unmanaged<nint, nuint*, nint>)table[31])(session, count);

    public nint SessionGetInputTypeInfo(nint session, nuint index, nint* info) => ((delegate* unmanaged<nint, nuint, nint*, nint>)table[33])(session, index, info);

    public nint SessionGetOutputTypeInfo(nint session, nuint index, nint* info) => ((delegate* unmanaged<nint, nuint, nint*, nint>)table[34])(session, index, info);

    public nint SessionGetInputName(nint session, nuint index, nint allocator, byte** name) =>
        ((delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[36])(session, index, allocator, name);

    public nint SessionGetOutputName(nint session, nuint index, nint allocator, byte** name) =>
        ((delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[37])(session, index, allocator, name);

    // Tensors and type information (49-65).
    public nint CreateTensorWithData(nint memoryInfo, void* data, nuint bytes, long* shape, nuint rank, int elementType, nint* value) =>
        ((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)table[49])(memoryInfo, data, bytes, shape, rank, elementType, value);

    public nint GetTensorMutableData(nint value, void** data) => ((delegate* unmanaged<nint, void**, nint>)table[51])(value, data);

    public nint CastTypeInfoToTensorInfo(nint typeInfo, nint* tensorInfo) => ((delegate* unmanaged<nint, nint*, nint>)table[55])(typeInfo, tensorInfo);

    public nint GetTensorElementType(nint info, int* type) => ((delegate* unmanaged<nint, int*, nint>)table[60])(info, type);

    public nint GetDimensionsCount(nint info, nuint* count) => ((delegate* unmanaged<nint, nuint*, nint>)table[61])(info, count);

    public nint GetDimensions(nint info, long* dims, nuint count) => ((delegate* unmanaged<nint, long*, nuint, nint>)table[62])(info, dims, count);

    public nint GetTensorTypeAndShape(nint value, nint* info) => ((delegate* unmanaged<nint, nint*, nint>)table[65])(value, info);

    // Memory (69-78).
    public nint CreateCpuMemoryInfo(int allocatorType, int memoryType, nint* info) => ((delegate* unmanaged<int, int, nint*, nint>)table[69])(allocatorType, memoryType, info);

    public nint AllocatorFree(nint allocator, void* pointer) => ((delegate* unmanaged<nint, void*, nint>)table[76])(allocator, pointer);

    public nint GetAllocatorWithDefaultOptions(nint* allocator) => ((delegate* unmanaged<nint*, nint>)table[78])(allocator);

    // Session configuration entries (130).
    public nint AddSessionConfigEntry(nint options, byte* key, byte* value) => ((delegate* unmanaged<nint, byte*, byte*, nint>)table[130])(options, key, value);

    // Providers (125-126) and CUDA options (204-208).
    public nint GetAvailableProviders(byte*** names, int* count) => ((delegate* unmanaged<byte***, int*, nint>)table[125])(names, count);

    public nint ReleaseAvailableProviders(byte** names, int count) => ((delegate* unmanaged<byte**, int, nint>)table[126])(names, count);

    public nint AppendCudaV2(nint options, nint cudaOptions) => ((delegate* unmanaged<nint, nint, nint>)table[204])(options, cudaOptions);

    public nint CreateCudaProviderOptions(nint* cudaOptions) => ((delegate* unmanaged<nint*, nint>)table[205])(cudaOptions);

    public nint UpdateCudaProviderOptions(nint cudaOptions, byte** keys, byte** values, nuint count) =>
        ((delegate* unmanaged<nint, byte**, byte**, nuint, nint>)table[206])(cudaOptions, keys, values, count);

    public void ReleaseCudaProviderOptions(nint cudaOptions) => ((delegate* unmanaged<nint, void>)table[208])(cudaOptions);

    // Releases (92-100).
    public void Release(ReleaseKind kind, nint handle) => ((delegate* unmanaged<nint, void>)table[(int)kind])(handle);

    /// <summary>Throws the typed error for a non-null status, releasing it.</summary>
    public void Check(nint status, string operation)
    {
        if (status == 0)
        {
            return;
        }

        var code = GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "unknown error";
        Release(ReleaseKind.Status, status);
        throw new OnnxRuntimeException($"ONNX Runtime failed in {operation}: {message}", code) { ProviderName = "onnxruntime", OperationName = operation };
    }
}

/// <summary>The indices of the <c>Release*</c> functions.</summary>
internal enum ReleaseKind
{
    Env = 92,
    Status = 93,
    MemoryInfo = 94,
    Session = 95,
    Value = 96,
    TypeInfo = 98,
    TensorTypeAndShapeInfo = 99,
    SessionOptions = 100,
}

/// <summary>An ONNX Runtime object, released with its own <c>Release*</c> function.</summary>
internal sealed class OrtHandle : SafeHandle
{
    private readonly OrtApi api;
    private readonly ReleaseKind kind;

    public OrtHandle(OrtApi api, ReleaseKind kind, nint handle)
        : base(0, ownsHandle: true)
    {
        (this.api, this.kind) = (api, kind);
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        api.Release(kind, handle);
        return true;
    }
}
