namespace ImageSocial;

/// <summary>Whether a post can be shown in full: a photo is ready at upload; a video once its web-playable rendition is stored.</summary>
public enum MediaStatus
{
    /// <summary>Everything is stored.</summary>
    Ready,

    /// <summary>The poster and its renditions are stored; the web-playable rendition is being made.</summary>
    Processing,

    /// <summary>The web-playable rendition could not be made (see <see cref="VideoInfo.FailureReason"/>).</summary>
    Failed,
}
