using System.Runtime.InteropServices;
using ImageSocial.Embeddings.Native;

namespace ImageSocial.Embeddings;

/// <summary>The loaded ONNX Runtime: one native library and one environment per process, as the runtime expects.</summary>
public sealed unsafe class OnnxRuntime
{
    private static readonly Lock Gate = new();
    private static OnnxRuntime? loaded;

    private OnnxRuntime(OrtApi api, OrtHandle environment, string path)
    {
        Api = api;
        Environment = environment;
        LibraryPath = path;
    }

    /// <summary>Where the native library was loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>The runtime's version string.</summary>
    public string Version => Api.RuntimeVersion;

    internal OrtApi Api { get; }

    /// <summary>The execution providers this build of the runtime has (for example <c>CPUExecutionProvider</c>, <c>CUDAExecutionProvider</c>).</summary>
    public IReadOnlyList<string> AvailableProviders
    {
        get
        {
            byte** names;
            int count;
            Api.Check(Api.GetAvailableProviders(&names, &count), "GetAvailableProviders");
            try
            {
                var result = new string[count];
                for (var i = 0; i < count; i++)
                {
                    result[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? "";
                }

                return result;
            }
            finally
            {
                Api.Check(Api.ReleaseAvailableProviders(names, count), "ReleaseAvailableProviders");
            }
        }
    }

    internal OrtHandle Environment { get; }

    /// <summary>Loads the runtime (once per process; later calls return the same one).</summary>
    /// <param name="libraryPath">An explicit path, or <see langword="null"/> to search as <see cref="OnnxRuntimeOptions.LibraryPath"/> describes.</param>
    /// <exception cref="OnnxRuntimeException">No library was found, or it is not a usable ONNX Runtime.</exception>
    public static OnnxRuntime Load(string? libraryPath = null)
    {
        lock (Gate)
        {
            if (loaded is not null)
            {
                return loaded;
            }

            var path = libraryPath ?? Candidates().FirstOrDefault(File.Exists)
                ?? throw new OnnxRuntimeException("ONNX Runtime was not found. Looked in: " + string.Join(", ", Candidates()) +
                    ". Run ./build.sh (it provisions the library from the onnxruntime-node npm package) or set OnnxRuntimeOptions.LibraryPath.");
            if (!File.Exists(path))
            {
                throw new OnnxRuntimeException($"ONNX Runtime was not found at {path}.");
            }

            var api = OrtApi.Load(path);
            nint environment;
            fixed (byte* id = "imagesocial"u8)
            {
                api.Check(api.CreateEnv(3 /* ORT_LOGGING_LEVEL_ERROR */, id, &environment), "CreateEnv");
            }

            return loaded = new OnnxRuntime(api, new OrtHandle(api, ReleaseKind.Env, environment), path);
        }
    }

    /// <summary>The places searched for the library, in order.</summary>
    public static IEnumerable<string> Candidates()
    {
        var file = OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file);
        yield return Path.Combine(AppContext.BaseDirectory, file);
        if (System.Environment.GetEnvironmentVariable("IMAGESOCIAL_ONNXRUNTIME") is { Length: > 0 } configured)
        {
            yield return configured;
        }

        yield return Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache", "imagesocial",
            $"onnxruntime-{OnnxRuntimeOptions.ProvisionedVersion}", "libonnxruntime.so.1");
    }
}
