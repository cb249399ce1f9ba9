namespace ImageSocial.Imaging.Vips;

/// <summary>Starts libvips (NetVips and the libvips build of the <c>NetVips.Native</c> package) once per process.</summary>
internal static class VipsRuntime
{
    internal const string InstallHint = "libvips could not be loaded: the application needs the NetVips.Native package (libvips for every " +
        "platform), which ImageSocial.Imaging.Vips references; check that its runtimes/<rid>/native folder was published.";

    private static readonly Lazy<Exception?> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes sure libvips is loaded and initialised.</summary>
    /// <exception cref="ImageSocialException">libvips is missing or failed to start.</exception>
    internal static void EnsureInitialized()
    {
        if (Initialized.Value is { } error)
        {
            throw new ImageSocialException(InstallHint + " (" + error.Message + ")", error) { ProviderName = "libvips", OperationName = "Initialize" };
        }
    }

    private static Exception? Initialize()
    {
        try
        {
            if (!NetVips.ModuleInitializer.VipsInitialized)
            {
                return NetVips.ModuleInitializer.Exception ?? new InvalidOperationException("libvips did not initialise.");
            }

            // The one process-wide libvips setting the codec makes: no operation cache. Every input is new, so the cache would only hold
            // the uploaded buffers and decoded images of recent calls in memory.
            NetVips.Cache.Max = 0;
            return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            return ex;
        }
    }
}
