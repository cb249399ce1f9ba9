namespace ImageSocial;

/// <summary>The stored renditions of a photo, named as they appear in blob keys.</summary>
public enum RenditionKind
{
    /// <summary>A 150×150 square crop.</summary>
    Thumb,

    /// <summary>640 pixels on the long edge.</summary>
    Feed,

    /// <summary>1080 pixels on the long edge.</summary>
    Large,

    /// <summary>The uploaded bytes, unchanged.</summary>
    Original,

    /// <summary>A video's web-playable rendition (H.264/AAC in MP4).</summary>
    Video,
}
