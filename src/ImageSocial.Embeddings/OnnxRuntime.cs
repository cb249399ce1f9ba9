using Ort = Microsoft.ML.OnnxRuntime;

namespace ImageSocial.Embeddings;

/// <summary>The ONNX Runtime the application ships: the native part comes from the package it references —
/// <c>Microsoft.ML.OnnxRuntime</c> (CPU) or <c>Microsoft.ML.OnnxRuntime.Gpu</c> (CUDA 13 and cuDNN 9 on the machine).</summary>
public static class OnnxRuntime
{
    /// <summary>The runtime's version string.</summary>
    /// <exception cref="OnnxRuntimeException">The application references no ONNX Runtime native package.</exception>
    public static string Version => Use(env => env.GetVersionString());

    /// <summary>The execution providers this build of the runtime has (for example <c>CPUExecutionProvider</c>, <c>CUDAExecutionProvider</c>).</summary>
    /// <exception cref="OnnxRuntimeException">The application references no ONNX Runtime native package.</exception>
    public static IReadOnlyList<string> AvailableProviders => Use(env => env.GetAvailableProviders());

    /// <summary>Runs <paramref name="call"/> on the process's ONNX Runtime environment, turning a missing native library into a typed error
    /// that says which package to add.</summary>
    internal static T Use<T>(Func<Ort.OrtEnv, T> call)
    {
        try
        {
            return call(Ort.OrtEnv.Instance());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException || ex.InnerException is DllNotFoundException)
        {
            throw new OnnxRuntimeException("ONNX Runtime's native library was not found. Add the Microsoft.ML.OnnxRuntime package (CPU) or " +
                "Microsoft.ML.OnnxRuntime.Gpu (CUDA 13 with cuDNN 9 on the machine: the 1.31.0 build links libcudart.so.13) to the application.", 0, ex);
        }
    }
}
