namespace ImageSocial;

/// <summary>Who may see a photo.</summary>
public enum Visibility
{
    /// <summary>Anyone; for a private account, its approved followers.</summary>
    Public = 0,

    /// <summary>The owner's approved followers.</summary>
    Followers = 1,

    /// <summary>The owner only.</summary>
    Private = 2,
}

/// <summary>A user profile.</summary>
/// <param name="Id">The user's id; its logical shard is where the user's data lives.</param>
/// <param name="Handle">The unique handle (lower case letters, digits, '_' and '.').</param>
/// <param name="DisplayName">The name shown to others.</param>
/// <param name="IsPrivate">Whether the account shows its photos to approved followers only.</param>
public sealed record User(UserId Id, string Handle, string DisplayName, bool IsPrivate)
{
    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt => Id.CreatedAt;
}

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
}

/// <summary>Facts read from an image's header and EXIF without decoding its pixels.</summary>
/// <param name="Format">The container format, lower case: <c>jpeg</c>, <c>png</c>, <c>webp</c>, <c>gif</c>, <c>tiff</c>, <c>heif</c>.</param>
/// <param name="Width">The stored width in pixels (before EXIF orientation).</param>
/// <param name="Height">The stored height in pixels (before EXIF orientation).</param>
/// <param name="Orientation">The EXIF orientation, 1–8 (1 when absent).</param>
/// <param name="FrameCount">The number of frames or pages.</param>
public sealed record ImageInfo(string Format, int Width, int Height, int Orientation, int FrameCount)
{
    /// <summary>The width as displayed, after EXIF orientation.</summary>
    public int DisplayWidth => Orientation >= 5 ? Height : Width;

    /// <summary>The height as displayed, after EXIF orientation.</summary>
    public int DisplayHeight => Orientation >= 5 ? Width : Height;

    /// <summary>The EXIF capture time (DateTimeOriginal), when present; its zone is unknown, so it is given as UTC.</summary>
    public DateTimeOffset? CapturedAt { get; init; }

    /// <summary>The GPS latitude in decimal degrees (south negative), when present.</summary>
    public double? Latitude { get; init; }

    /// <summary>The GPS longitude in decimal degrees (west negative), when present.</summary>
    public double? Longitude { get; init; }

    /// <summary>The camera make, when present.</summary>
    public string? CameraMake { get; init; }

    /// <summary>The camera model, when present.</summary>
    public string? CameraModel { get; init; }

    /// <summary>The MIME type of the format.</summary>
    public string ContentType => Format switch
    {
        "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "tiff" => "image/tiff",
        "heif" => "image/heif",
        _ => "application/octet-stream",
    };
}

/// <summary>A photo's metadata.</summary>
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

    /// <summary>Facts about the uploaded image.</summary>
    public required ImageInfo Image { get; init; }

    /// <summary>The MIME type of the renditions.</summary>
    public required string RenditionContentType { get; init; }

    /// <summary>The size of the original in bytes.</summary>
    public required long OriginalBytes { get; init; }

    /// <summary>When the photo was soft-deleted; <see langword="null"/> while it is live.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>The number of likes.</summary>
    public long LikeCount { get; init; }

    /// <summary>The number of comments.</summary>
    public long CommentCount { get; init; }

    /// <summary>When the photo was uploaded, read from its id.</summary>
    public DateTimeOffset CreatedAt => Id.CreatedAt;
}

/// <summary>A comment on a photo.</summary>
/// <param name="Id">The comment id (on the photo owner's shard).</param>
/// <param name="PhotoId">The photo commented on.</param>
/// <param name="AuthorId">Who wrote it.</param>
/// <param name="Text">The text.</param>
public sealed record Comment(CommentId Id, PhotoId PhotoId, UserId AuthorId, string Text)
{
    /// <summary>When it was written, read from its id.</summary>
    public DateTimeOffset CreatedAt => Id.CreatedAt;
}

/// <summary>The state of a follow edge.</summary>
public enum FollowState
{
    /// <summary>No edge.</summary>
    None,

    /// <summary>A request to a private account, waiting for the owner.</summary>
    Pending,

    /// <summary>An approved follow.</summary>
    Following,
}

/// <summary>A photo with the score it got in a similarity search (higher is more similar).</summary>
/// <param name="Photo">The photo.</param>
/// <param name="Score">The similarity score.</param>
public sealed record ScoredPhoto(Photo Photo, float Score);
