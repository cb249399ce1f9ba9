namespace ImageSocial;

/// <summary>What a post holds.</summary>
public enum PostKind
{
    /// <summary>An image.</summary>
    Photo,

    /// <summary>A video, shown by its poster frame's renditions and played from its web-playable rendition.</summary>
    Video,
}
