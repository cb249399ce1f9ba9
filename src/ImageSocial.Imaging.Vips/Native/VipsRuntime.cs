using System.Reflection;
using System.Runtime.InteropServices;

namespace ImageSocial.Imaging.Vips.Native;

/// <summary>Loads and initialises libvips once per process.</summary>
internal static class VipsRuntime
{
    internal const string InstallHint = "libvips is not installed: install the Debian package 'libvips42' (apt-get install libvips42).";

    private static readonly Lazy<Exception?> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes sure libvips is loaded and initialised.</summary>
    /// <exception cref="ImageSocialException">libvips is missing or failed to start.</exception>
    internal static void EnsureInitialized()
    {
        if (Initialized.Value is { } error)
        {
            throw new ImageSocialException(error is DllNotFoundException ? InstallHint : "libvips failed to initialise: " + error.Message, error)
            {
                ProviderName = "libvips",
                OperationName = "Initialize",
            };
        }
    }

    private static Exception? Initialize()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(VipsRuntime).Assembly, Resolve);
            if (VipsNative.vips_init("imagesocial") != 0)
            {
                return new InvalidOperationException(VipsOperation.TakeError());
            }

            // Operations are built once and dropped: the cache only holds memory and file handles.
            VipsNative.vips_cache_set_max(0);

            // Loaders libvips marks untrusted (ImageMagick, PDF, SVG, ...) never see user bytes.
            VipsNative.vips_block_untrusted_set(1);
            return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return ex is DllNotFoundException ? ex : new DllNotFoundException(ex.Message, ex);
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        // libvips42 ships no unversioned libvips.so; bind the sonames.
        string[] candidates = name switch
        {
            VipsNative.Vips => ["libvips.so.42", "libvips.42.dylib", "libvips-42.dll"],
            VipsNative.GObject => ["libgobject-2.0.so.0", "libgobject-2.0.0.dylib", "libgobject-2.0-0.dll"],
            VipsNative.GLib => ["libglib-2.0.so.0", "libglib-2.0.0.dylib", "libglib-2.0-0.dll"],
            _ => [],
        };
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle))
            {
                return handle;
            }
        }

        return candidates.Length == 0 ? 0 : throw new DllNotFoundException(InstallHint);
    }
}
