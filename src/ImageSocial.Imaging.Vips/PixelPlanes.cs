namespace ImageSocial.Imaging.Vips;

/// <summary>Turns interleaved 8-bit RGB into normalized float planes.</summary>
internal static class PixelPlanes
{
    internal static void Normalize(ReadOnlySpan<byte> rgb, ModelInputSpec spec, Span<float> destination)
    {
        var plane = spec.Width * spec.Height;
        for (var c = 0; c < 3; c++)
        {
            var source = spec.Bgr ? 2 - c : c;
            var scale = 1f / (255f * spec.Std[source]);
            var offset = spec.Mean[source] / spec.Std[source];
            var target = destination.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                target[i] = (rgb[(i * 3) + source] * scale) - offset;
            }
        }
    }
}
