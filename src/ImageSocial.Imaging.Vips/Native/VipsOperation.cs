using System.Globalization;
using System.Runtime.InteropServices;
using static ImageSocial.Imaging.Vips.Native.VipsNative;

namespace ImageSocial.Imaging.Vips.Native;

/// <summary>A reference to a VipsImage; releasing it drops our GObject reference.</summary>
internal sealed class VipsImageHandle : SafeHandle
{
    public VipsImageHandle(nint handle) : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    public int Width => vips_image_get_width(handle);

    public int Height => vips_image_get_height(handle);

    public int Bands => vips_image_get_bands(handle);

    public bool HasAlpha => vips_image_hasalpha(handle) != 0;

    protected override bool ReleaseHandle()
    {
        g_object_unref(handle);
        return true;
    }
}

/// <summary>One libvips operation, driven the way NetVips does it: arguments as GValues or strings, then a cached build.</summary>
internal sealed unsafe class VipsOperation : IDisposable
{
    private nint op;

    public VipsOperation(string name)
    {
        op = vips_operation_new(name);
        if (op == 0)
        {
            throw new VipsException($"libvips has no operation '{name}': {TakeError()}");
        }
    }

    /// <summary>Runs an operation with one image input and one image output.</summary>
    public static VipsImageHandle Apply(string name, VipsImageHandle input, params (string Name, string Value)[] arguments)
    {
        using var operation = new VipsOperation(name);
        operation.Set("in", input);
        foreach (var (argument, value) in arguments)
        {
            operation.Set(argument, value);
        }

        operation.Build();
        return operation.GetImage("out");
    }

    public void Set(string name, string value)
    {
        if (vips_object_set_argument_from_string(op, name, value) != 0)
        {
            throw new VipsException($"Cannot set '{name}': {TakeError()}");
        }
    }

    public void Set(string name, int value) => Set(name, value.ToString(CultureInfo.InvariantCulture));

    public void Set(string name, VipsImageHandle image)
    {
        GValue value = default;
        g_value_init(&value, vips_image_get_type());
        g_value_set_object(&value, image.DangerousGetHandle());
        g_object_set_property(op, name, &value);
        g_value_unset(&value);
    }

    public void Set(string name, ReadOnlySpan<byte> bytes)
    {
        nint blob;
        fixed (byte* data = bytes)
        {
            // A copy: libvips images are lazy and keep pointing at their input after we return.
            blob = vips_blob_copy(data, (nuint)bytes.Length);
        }

        GValue value = default;
        g_value_init(&value, vips_blob_get_type());
        g_value_set_boxed(&value, blob);
        g_object_set_property(op, name, &value);
        g_value_unset(&value);
        vips_area_unref(blob);
    }

    public void Build()
    {
        var built = vips_cache_operation_build(op);
        if (built == 0)
        {
            var message = TakeError();
            vips_object_unref_outputs(op);
            g_object_unref(op);
            op = 0;
            throw new VipsException(message);
        }

        g_object_unref(op);
        op = built;
    }

    public VipsImageHandle GetImage(string name)
    {
        GValue value = default;
        g_value_init(&value, vips_image_get_type());
        g_object_get_property(op, name, &value);
        var image = g_value_dup_object(&value);
        g_value_unset(&value);
        return new VipsImageHandle(image);
    }

    public byte[] GetBlob(string name)
    {
        GValue value = default;
        g_value_init(&value, vips_blob_get_type());
        g_object_get_property(op, name, &value);
        var blob = g_value_dup_boxed(&value);
        g_value_unset(&value);
        try
        {
            var data = vips_blob_get(blob, out var length);
            return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
        }
        finally
        {
            vips_area_unref(blob);
        }
    }

    public void Dispose()
    {
        if (op != 0)
        {
            vips_object_unref_outputs(op);
            g_object_unref(op);
            op = 0;
        }
    }

    /// <summary>Takes and clears libvips's error buffer.</summary>
    internal static string TakeError()
    {
        var copy = vips_error_buffer_copy();
        if (copy == 0)
        {
            return "unknown libvips error";
        }

        try
        {
            var text = Marshal.PtrToStringUTF8(copy)?.Trim();
            return string.IsNullOrEmpty(text) ? "unknown libvips error" : text;
        }
        finally
        {
            g_free((void*)copy);
        }
    }
}

/// <summary>A libvips call failed; the codec turns it into the SDK's typed errors.</summary>
internal sealed class VipsException(string message) : Exception(message)
{
}
