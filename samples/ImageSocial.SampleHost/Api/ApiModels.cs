using System.Text.Json.Serialization;

namespace ImageSocial.SampleHost.Api;

// The HTTP contract's shapes: camelCase JSON, ids as strings.

public sealed record UserResponse(string Id, string Username, string DisplayName, bool IsPrivate)
{
    public static UserResponse From(User user) => new(user.Id.ToString(), user.Handle, user.DisplayName, user.IsPrivate);
}

public sealed record PhotoUrls(string Thumb, string Feed, string Large, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Original,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Video = null);

public sealed record PhotoResponse(
    string Id,
    string OwnerId,
    string Title,
    IReadOnlyList<string> Tags,
    string Visibility,
    int Width,
    int Height,
    DateTimeOffset CreatedAt,
    long LikeCount,
    long CommentCount,
    PhotoUrls Urls,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DeletedAt,
    string Kind,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? DurationMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocationResponse? Location,
    bool ShareLocation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HiddenReason)
{
    /// <summary>The location the SDK left in (it leaves it out for other viewers unless the owner shares it).</summary>
    private static LocationResponse? LocationOf(Photo photo) =>
        (photo.Image.Latitude ?? photo.Video?.Latitude) is { } latitude && (photo.Image.Longitude ?? photo.Video?.Longitude) is { } longitude
            ? new LocationResponse(latitude, longitude)
            : null;

    /// <summary>The photo as <paramref name="viewer"/> sees it: the original's URL only for its owner.</summary>
    public static PhotoResponse From(Photo photo, UserId viewer)
    {
        var content = $"/api/photos/{photo.Id}/content/";
        var video = photo.Video;
        var urls = new PhotoUrls(content + "thumb", content + "feed", content + "large", photo.OwnerId == viewer ? content + "original" : null,
            video is { Status: MediaStatus.Ready } ? content + "video" : null);
        // A video's size is its own (the poster's renditions are fitted to it); its creation time and location are never shown.
        return new(photo.Id.ToString(), photo.OwnerId.ToString(), photo.Title, photo.Tags, ApiValues.Format(photo.Visibility),
            video?.Width ?? photo.Image.DisplayWidth, video?.Height ?? photo.Image.DisplayHeight, photo.CreatedAt, photo.LikeCount, photo.CommentCount, urls,
            photo.DeletedAt, photo.Kind == PostKind.Video ? "video" : "photo", photo.Status.ToString().ToLowerInvariant(), video?.DurationMs, video?.FailureReason,
            LocationOf(photo), photo.ShareLocation, photo.HiddenReason);
    }
}

public sealed record ScoredPhotoResponse(PhotoResponse Photo, float Score);

public sealed record CommentResponse(string Id, string AuthorId, string Text, DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HiddenReason = null)
{
    public static CommentResponse From(Comment comment) => new(comment.Id.ToString(), comment.AuthorId.ToString(), comment.Text, comment.CreatedAt, comment.HiddenReason);
}

public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record ItemsResponse<T>(IReadOnlyList<T> Items);

public sealed record CreateUserRequest(string? Username, string? Password, string? DisplayName, bool? IsPrivate);

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, int ExpiresIn, string UserId);

public sealed record UpdateProfileRequest(string? DisplayName, bool? IsPrivate);

public sealed record OutboxResponse(long Pending, long Due, long InFlight, long DeadLetters, DateTimeOffset? OldestDueAt)
{
    public static OutboxResponse From(OutboxStats stats) => new(stats.Pending, stats.Due, stats.InFlight, stats.DeadLetters, stats.OldestDueAt);
}

public sealed record DeadLetterResponse(string Id, string Kind, string Subject, int Attempts, string Error, DateTimeOffset DeadAt)
{
    public static DeadLetterResponse From(DeadLetter letter) => new(letter.Message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), letter.Message.Kind,
        letter.Message.Subject.ToString(System.Globalization.CultureInfo.InvariantCulture), letter.Message.Attempts, letter.Error, letter.DeadAt);
}

public sealed record RetriedResponse(int Retried);

public sealed record RoleRequest(string? Role);

public sealed record ReasonRequest(string? Reason);

public sealed record ReportResponse(string Id, string Target, string TargetId, string ReporterId, string Reason, DateTimeOffset CreatedAt)
{
    public static ReportResponse From(Report report) => new(report.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        report.Target == ReportTarget.Photo ? "photo" : "comment", report.TargetId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        report.Reporter.ToString(), report.Reason, report.CreatedAt);
}

public sealed record AuditEntryResponse(string Id, string ActorId, string Action, string Target, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    DateTimeOffset At)
{
    public static AuditEntryResponse From(AuditEntry entry) => new(entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Actor.ToString(),
        entry.Action, entry.Target, entry.Reason, entry.At);
}

public sealed record UpdatePhotoRequest(string? Title, IReadOnlyList<string>? Tags, string? Visibility, bool? ShareLocation = null);

/// <summary>Where a post was taken: shown to its owner, and to its viewers when the owner shares it.</summary>
public sealed record LocationResponse(double Latitude, double Longitude);

public sealed record CommentRequest(string? Text);

public sealed record LikedResponse(bool Liked);

public sealed record FollowStateResponse(string State);
