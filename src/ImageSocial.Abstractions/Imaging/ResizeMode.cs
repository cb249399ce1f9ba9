namespace ImageSocial;

/// <summary>How an image is fitted to a model's input size.</summary>
public enum ResizeMode
{
    /// <summary>Scale so the image covers the target, then crop the centre.</summary>
    CenterCrop,

    /// <summary>Scale each axis independently to the target.</summary>
    Stretch,
}
