using System.Runtime.InteropServices;

namespace ImageSocial.Imaging.Vips.Native;

/// <summary>A GLib GValue: a type tag and two 8-byte data words.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    public nuint Type;
    public long Data0;
    public long Data1;
}

/// <summary>The non-variadic libvips, GObject and GLib entry points we use (variadic C functions cannot be called portably from .NET).</summary>
internal static unsafe partial class VipsNative
{
    internal const string Vips = "imagesocial-vips";
    internal const string GObject = "imagesocial-gobject";
    internal const string GLib = "imagesocial-glib";

    [LibraryImport(Vips, EntryPoint = "vips_init", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_init(string argv0);

    [LibraryImport(Vips)]
    internal static partial void vips_cache_set_max(int max);

    [LibraryImport(Vips)]
    internal static partial void vips_block_untrusted_set(int state);

    [LibraryImport(Vips)]
    internal static partial void vips_vector_set_enabled(int enabled);

    [LibraryImport(Vips)]
    internal static partial void vips_leak_set(int leak);

    [LibraryImport(Vips)]
    internal static partial nint vips_foreign_find_load_buffer(void* data, nuint size);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint vips_operation_new(string name);

    [LibraryImport(Vips)]
    internal static partial nint vips_cache_operation_build(nint operation);

    [LibraryImport(Vips)]
    internal static partial void vips_object_unref_outputs(nint vipsObject);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_object_set_argument_from_string(nint vipsObject, string name, string value);

    [LibraryImport(Vips)]
    internal static partial nint vips_error_buffer_copy();

    [LibraryImport(Vips)]
    internal static partial void vips_error_clear();

    [LibraryImport(Vips)]
    internal static partial nuint vips_blob_get_type();

    [LibraryImport(Vips)]
    internal static partial nuint vips_image_get_type();

    [LibraryImport(Vips)]
    internal static partial nint vips_blob_copy(void* data, nuint length);

    [LibraryImport(Vips)]
    internal static partial void* vips_blob_get(nint blob, out nuint length);

    [LibraryImport(Vips)]
    internal static partial void vips_area_unref(nint area);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_width(nint image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_height(nint image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_bands(nint image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_n_pages(nint image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_hasalpha(nint image);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nuint vips_image_get_typeof(nint image, string name);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_int(nint image, string name, out int value);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_string(nint image, string name, out nint value);

    [LibraryImport(Vips)]
    internal static partial nint vips_image_copy_memory(nint image);

    [LibraryImport(Vips)]
    internal static partial nint vips_image_new_from_memory_copy(void* data, nuint size, int width, int height, int bands, int format);

    [LibraryImport(Vips)]
    internal static partial void* vips_image_write_to_memory(nint image, out nuint size);

    [LibraryImport(Vips)]
    internal static partial nuint vips_tracked_get_mem();

    [LibraryImport(Vips)]
    internal static partial int vips_tracked_get_allocs();

    [LibraryImport(GObject)]
    internal static partial GValue* g_value_init(GValue* value, nuint type);

    [LibraryImport(GObject)]
    internal static partial void g_value_unset(GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_boxed(GValue* value, nint boxed);

    [LibraryImport(GObject)]
    internal static partial nint g_value_dup_boxed(GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_object(GValue* value, nint obj);

    [LibraryImport(GObject)]
    internal static partial nint g_value_dup_object(GValue* value);

    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_set_property(nint obj, string name, GValue* value);

    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_get_property(nint obj, string name, GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_object_unref(nint obj);

    [LibraryImport(GLib)]
    internal static partial void g_free(void* memory);

    [LibraryImport(GLib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int g_setenv(string variable, string value, int overwrite);

    [LibraryImport(GLib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint g_getenv(string variable);

    [LibraryImport(Vips)]
    internal static partial int vips_version(int flag);
}
