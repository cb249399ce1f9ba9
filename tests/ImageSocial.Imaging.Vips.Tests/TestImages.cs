using System.Buffers.Binary;
using System.Text;

namespace ImageSocial.Imaging.Vips.Tests;

/// <summary>Images the tests make with libvips itself, and EXIF blocks written by hand.</summary>
internal static class TestImages
{
    /// <summary>Encodes an RGB image whose pixels come from <paramref name="pixel"/>.</summary>
    internal static byte[] Encode(int width, int height, string format = "jpeg", Func<int, int, (byte R, byte G, byte B)>? pixel = null) =>
        Encode(width, height, format, pixel, []);

    /// <summary>A progressive (interlaced) JPEG.</summary>
    internal static byte[] EncodeProgressive(int width, int height) => Encode(width, height, "jpeg", null, ["interlace=true"]);

    private static byte[] Encode(int width, int height, string format, Func<int, int, (byte R, byte G, byte B)>? pixel, string[] options)
    {
        pixel ??= (x, y) => ((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 96);
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                var i = ((y * width) + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (r, g, b);
            }
        }

        _ = new VipsImageCodec();
        using var image = NetVips.Image.NewFromMemory(rgb, width, height, 3, NetVips.Enums.BandFormat.Uchar);
        return image.WriteToBuffer($".{(format == "jpeg" ? "jpg" : format)}[{string.Join(',', options)}]");
    }

    /// <summary>A JPEG with an EXIF block (orientation, make, model, capture time, GPS, and the camera's serial number when given)
    /// inserted after SOI.</summary>
    internal static byte[] WithExif(byte[] jpeg, int orientation, double latitude, double longitude, string make = "TestCam", string model = "Model 7",
        string taken = "2021:06:15 14:30:00", string? serial = null)
    {
        var tiff = new List<byte>();
        void U16(int v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); tiff.AddRange(b); }
        void U32(long v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)v); tiff.AddRange(b); }
        byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s + "\0");
        var makeBytes = Ascii(make);
        var modelBytes = Ascii(model);
        var takenBytes = Ascii(taken);
        var serialBytes = serial is null ? [] : Ascii(serial);

        // Layout: header(8) | IFD0: 6 entries | EXIF IFD: 1 or 2 entries | GPS IFD: 4 entries | data area.
        const int ifd0 = 8, ifd0Entries = 6;
        var exifEntries = serial is null ? 1 : 2;
        var exifIfd = ifd0 + 2 + (ifd0Entries * 12) + 4;
        var gpsIfd = exifIfd + 2 + (exifEntries * 12) + 4;
        var data = gpsIfd + 2 + (4 * 12) + 4;
        var makeAt = data;
        var modelAt = makeAt + makeBytes.Length;
        var takenAt = modelAt + modelBytes.Length;
        var serialAt = takenAt + takenBytes.Length;
        var latAt = serialAt + serialBytes.Length;
        var lonAt = latAt + 24;

        tiff.AddRange("II"u8.ToArray());
        U16(42);
        U32(ifd0);
        void Entry(int tag, int type, long count, long value) { U16(tag); U16(type); U32(count); U32(value); }
        U16(ifd0Entries);
        Entry(0x010F, 2, makeBytes.Length, makeAt);
        Entry(0x0110, 2, modelBytes.Length, modelAt);
        Entry(0x0112, 3, 1, orientation);
        Entry(0x0132, 2, takenBytes.Length, takenAt);
        Entry(0x8769, 4, 1, exifIfd);
        Entry(0x8825, 4, 1, gpsIfd);
        U32(0);
        U16(exifEntries);
        Entry(0x9003, 2, takenBytes.Length, takenAt);
        if (serial is not null)
        {
            Entry(0xA431, 2, serialBytes.Length, serialAt); // BodySerialNumber
        }

        U32(0);
        U16(4);
        Entry(0x0001, 2, 2, latitude < 0 ? 'S' : 'N');
        Entry(0x0002, 5, 3, latAt);
        Entry(0x0003, 2, 2, longitude < 0 ? 'W' : 'E');
        Entry(0x0004, 5, 3, lonAt);
        U32(0);
        tiff.AddRange(makeBytes);
        tiff.AddRange(modelBytes);
        tiff.AddRange(takenBytes);
        tiff.AddRange(serialBytes);
        foreach (var value in new[] { Math.Abs(latitude), Math.Abs(longitude) })
        {
            var degrees = Math.Floor(value);
            var minutes = Math.Floor((value - degrees) * 60);
            var seconds = Math.Round((((value - degrees) * 60) - minutes) * 60 * 10000);
            U32((long)degrees); U32(1); U32((long)minutes); U32(1); U32((long)seconds); U32(10000);
        }

        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>A valid PNG header that claims <paramref name="width"/>×<paramref name="height"/> pixels, with almost no data: a decompression bomb's shape.</summary>
    internal static byte[] PngClaiming(int width, int height)
    {
        var png = Encode(8, 8, "png");
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        var crc = Crc32(png.AsSpan(12, 17));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), crc);
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
