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
            SelectModules();
            if (VipsNative.vips_init("imagesocial") != 0)
            {
                return new InvalidOperationException(VipsOperation.TakeError());
            }

            // Operations are built once and dropped: the cache only holds memory and file handles.
            VipsNative.vips_cache_set_max(0);

            // Loaders libvips marks untrusted (ImageMagick, PDF, SVG, ...) never see user bytes.
            VipsNative.vips_block_untrusted_set(1);

            // libvips 8.14 runs some operations through code that ORC generates at run time; with two decodes at once it crashed a host
            // (a segmentation fault inside the generated code). The plain C paths are used instead; libvips 8.15+ no longer uses ORC.
            VipsNative.vips_vector_set_enabled(0);
            return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return ex is DllNotFoundException ? ex : new DllNotFoundException(ex.Message, ex);
        }
    }

    /// <summary>Points libvips at a module folder holding only the photo loaders we accept (HEIF, JPEG XL).</summary>
    /// <remarks>libvips loads every module in its folder with global symbol binding. Debian's openslide module pulls in the system
    /// libsqlite3, whose symbols then interpose on the SQLite that Microsoft.Data.Sqlite bundles and crash it; the ImageMagick and
    /// PDF modules are untrusted loaders we block anyway. A <c>VIPSHOME</c> set by the application is left alone.</remarks>
    private static void SelectModules()
    {
        if (VipsNative.g_getenv("VIPSHOME") != 0)
        {
            return;
        }

        var version = $"{VipsNative.vips_version(0)}.{VipsNative.vips_version(1)}";
        string[] wanted = ["vips-heif.so", "vips-jxl.so"];
        var source = new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib" }
            .Select(dir => Path.Combine(dir, $"vips-modules-{version}"))
            .FirstOrDefault(Directory.Exists);
        var home = Path.Combine(Path.GetTempPath(), $"imagesocial-vips-{version}");
        var target = Path.Combine(home, "lib", $"vips-modules-{version}");
        Directory.CreateDirectory(target);
        foreach (var module in wanted)
        {
            var from = source is null ? null : Path.Combine(source, module);
            var link = Path.Combine(target, module);
            if (from is not null && File.Exists(from) && !File.Exists(link))
            {
                try
                {
                    File.CreateSymbolicLink(link, from);
                }
                catch (IOException)
                {
                    // Another process made it first.
                }
            }
        }

        VipsNative.g_setenv("VIPSHOME", home, 1);
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
