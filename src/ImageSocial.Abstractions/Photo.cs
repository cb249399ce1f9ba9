namespace ImageSocial;

/// <summary>A post's metadata: a photo, or a video shown by its poster frame's renditions (<see cref="Video"/> set).</summary>
public sealed record Photo
{
    /// <summary>The photo's id; its logical shard is its owner's.</summary>
    public required PhotoId Id { get; init; }

    /// <summary>The owner.</summary>
    public required UserId OwnerId { get; init; }

    /// <summary>The title (may be empty).</summary>
    public required string Title { get; init; }

    /// <summary>The tags, normalized to lower case, without duplicates.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>Who may see it.</summary>
    public required Visibility Visibility { get; init; }

    /// <summary>Facts about the uploaded image; for a video, about its poster frame.</summary>
    public required ImageInfo Image { get; init; }

    /// <summary>The MIME type of the renditions.</summary>
    public required string RenditionContentType { get; init; }

    /// <summary>The size of the original in bytes.</summary>
    public required long OriginalBytes { get; init; }

    /// <summary>Whether the owner shares the post's location (<see cref="ImageInfo.Latitude"/>, <see cref="VideoInfo.Latitude"/>) with
    /// its viewers. The SDK's viewer-checked reads leave the location (and a video's creation time) out for anyone but the owner unless
    /// this is set; the stores keep it either way.</summary>
    public bool ShareLocation { get; init; }

    /// <summary>Why a moderator hid the post, or <see langword="null"/> when it is shown. A hidden post is seen by its owner only (with
    /// this reason) until a moderator unhides it.</summary>
    public string? HiddenReason { get; init; }

    /// <summary>When the photo was soft-deleted; <see langword="null"/> while it is live.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>The number of likes.</summary>
    public long LikeCount { get; init; }

    /// <summary>The number of comments.</summary>
    public long CommentCount { get; init; }

    /// <summary>A video's facts and the state of its web-playable rendition; <see langword="null"/> for a photo.</summary>
    public VideoInfo? Video { get; init; }

    /// <summary>Whether the post is a photo or a video.</summary>
    public PostKind Kind => Video is null ? PostKind.Photo : PostKind.Video;

    /// <summary>Whether the post can be shown in full: always <see cref="MediaStatus.Ready"/> for a photo.</summary>
    public MediaStatus Status => Video?.Status ?? MediaStatus.Ready;

    /// <summary>When the photo was uploaded, read from its id.</summary>
    public DateTimeOffset CreatedAt => Id.CreatedAt;
}
