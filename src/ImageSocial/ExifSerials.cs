using System.Buffers.Binary;

namespace ImageSocial;

/// <summary>Blanks camera and lens serial numbers (and the maker note, where vendors keep theirs) in the EXIF of a JPEG or TIFF original
/// before it is stored: a serial number ties every photo of one camera together across accounts. The bytes are zeroed in place, so
/// the structure, every other tag and the image data stay exactly as uploaded.</summary>
internal static class ExifSerials
{
    private const int BodySerialNumber = 0xA431;
    private const int LensSerialNumber = 0xA435;
    private const int CameraSerialNumber = 0xC62F; // DNG
    private const int MakerNote = 0x927C;
    private const int ExifIfdPointer = 0x8769;

    /// <summary>The original with serial numbers blanked: the same memory when there is nothing to blank, one copy otherwise.</summary>
    internal static ReadOnlyMemory<byte> Scrub(ReadOnlyMemory<byte> original)
    {
        var bytes = original.Span;
        var blank = new List<(int At, int Length)>();
        if (bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8))
        {
            FindSerials(bytes, 0, blank);
        }
        else if (bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8)
        {
            var at = 2;
            while (at + 4 <= bytes.Length && bytes[at] == 0xFF)
            {
                var marker = bytes[at + 1];
                if (marker is 0xD9 or 0xDA)
                {
                    break; // EXIF comes before the scan
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
                if (length < 2 || at + 2 + length > bytes.Length)
                {
                    break;
                }

                if (marker == 0xE1 && length >= 16 && bytes.Slice(at + 4, 6).SequenceEqual("Exif\0\0"u8))
                {
                    FindSerials(bytes.Slice(at + 10, length - 8), at + 10, blank);
                }

                at += 2 + length;
            }
        }

        if (blank.Count == 0)
        {
            return original;
        }

        var scrubbed = original.ToArray();
        foreach (var (at, length) in blank)
        {
            scrubbed.AsSpan(at, length).Clear();
        }

        return scrubbed;
    }

    /// <summary>Notes where the serial tags' values lie in a TIFF structure (IFD0, the EXIF IFD, and the IFDs chained after IFD0), as
    /// offsets from the start of the file (<paramref name="origin"/> is the structure's).</summary>
    private static void FindSerials(ReadOnlySpan<byte> tiff, int origin, List<(int At, int Length)> blank)
    {
        if (tiff.Length < 8)
        {
            return;
        }

        var little = tiff[0] == (byte)'I';
        var visited = new HashSet<long>();
        var pending = new Stack<long>();
        pending.Push(U32(tiff, 4, little));
        while (pending.Count > 0)
        {
            var ifd = pending.Pop();
            if (ifd < 8 || ifd + 2 > tiff.Length || !visited.Add(ifd) || visited.Count > 16)
            {
                continue;
            }

            var count = U16(tiff, (int)ifd, little);
            var entries = (int)ifd + 2;
            for (var i = 0; i < count && entries + (12 * (i + 1)) <= tiff.Length; i++)
            {
                var entry = entries + (12 * i);
                var tag = U16(tiff, entry, little);
                if (tag == ExifIfdPointer)
                {
                    pending.Push(U32(tiff, entry + 8, little));
                }
                else if (tag is BodySerialNumber or LensSerialNumber or CameraSerialNumber or MakerNote)
                {
                    var size = (long)U32(tiff, entry + 4, little) * TypeSize(U16(tiff, entry + 2, little));
                    var value = size <= 4 ? entry + 8 : U32(tiff, entry + 8, little);
                    if (size > 0 && value + size <= tiff.Length)
                    {
                        blank.Add((origin + (int)value, (int)size));
                    }
                }
            }

            var next = entries + (12 * count);
            if (next + 4 <= tiff.Length)
            {
                pending.Push(U32(tiff, next, little));
            }
        }
    }

    private static int TypeSize(int type) => type switch
    {
        3 or 8 => 2,
        4 or 9 or 11 => 4,
        5 or 10 or 12 => 8,
        _ => 1,
    };

    private static int U16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

    private static long U32(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);
}
