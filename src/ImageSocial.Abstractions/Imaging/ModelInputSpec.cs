namespace ImageSocial;

/// <summary>A model's input.</summary>
/// <param name="Width">Input width.</param>
/// <param name="Height">Input height.</param>
/// <param name="Mode">How to fit the image.</param>
/// <param name="Mean">Per-channel mean (R, G, B) subtracted after scaling to 0..1.</param>
/// <param name="Std">Per-channel standard deviation (R, G, B) divided by.</param>
/// <param name="Bgr">Whether the model wants B, G, R channel order.</param>
public sealed record ModelInputSpec(int Width, int Height, ResizeMode Mode, float[] Mean, float[] Std, bool Bgr = false)
{
    /// <summary>ImageNet's mean.</summary>
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's standard deviation.</summary>
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>The number of floats one image fills.</summary>
    public int Length => 3 * Width * Height;
}
