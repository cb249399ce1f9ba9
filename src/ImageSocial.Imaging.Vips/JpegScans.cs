namespace ImageSocial.Imaging.Vips;

/// <summary>Counts the scans of a JPEG by walking its markers, without decoding anything.</summary>
/// <remarks>A progressive JPEG is decoded scan by scan over the whole image, so its cost grows with the scan count, not with its size or
/// pixels: 2,500 empty scans in a 1.2 MB file cost tens of seconds of CPU. Encoders write about 10 scans (up to a few dozen with
/// optimized scripts), so a count far above that is refused before libvips sees the data.</remarks>
internal static class JpegScans
{
    private const byte Marker = 0xFF;
    private const byte StartOfScan = 0xDA;
    private const byte EndOfImage = 0xD9;

    /// <summary>The number of start-of-scan segments, counting stops once past <paramref name="stopAfter"/>.</summary>
    internal static int Count(ReadOnlySpan<byte> jpeg, int stopAfter)
    {
        var scans = 0;
        var i = 2; // after SOI
        while (i + 3 < jpeg.Length && scans <= stopAfter)
        {
            if (jpeg[i] != Marker)
            {
                return scans; // not a marker where one must be: let the decoder report the damage
            }

            var code = jpeg[i + 1];
            if (code == Marker)
            {
                i++; // fill byte
                continue;
            }

            if (code == EndOfImage)
            {
                return scans;
            }

            if (code is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                i += 2; // markers without a length
                continue;
            }

            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            i += 2 + length;
            if (code == StartOfScan)
            {
                scans++;
                // Entropy-coded data runs to the next marker that is neither a stuffed zero nor a restart marker.
                while (i + 1 < jpeg.Length && !(jpeg[i] == Marker && jpeg[i + 1] != 0x00 && jpeg[i + 1] is < 0xD0 or > 0xD7))
                {
                    i++;
                }
            }
        }

        return scans;
    }
}
