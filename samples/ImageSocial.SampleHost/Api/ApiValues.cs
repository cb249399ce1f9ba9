using System.Globalization;
using System.Security.Claims;

namespace ImageSocial.SampleHost.Api;

/// <summary>Reads the contract's values from requests; anything malformed is a <see cref="ValidationException"/> (400).</summary>
internal static class ApiValues
{
    public static UserId Viewer(this ClaimsPrincipal principal) =>
        UserId.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The route requires authentication."), CultureInfo.InvariantCulture);

    /// <summary>The SDK acting as the signed-in caller.</summary>
    public static ActingUser As(this ClaimsPrincipal principal, ImageSocialService sdk) => sdk.For(principal.Viewer());

    public static PhotoId Photo(string id) => PhotoId.Parse(id, CultureInfo.InvariantCulture);

    public static UserId User(string id) => UserId.Parse(id, CultureInfo.InvariantCulture);

    public static CommentId Comment(string id) => CommentId.Parse(id, CultureInfo.InvariantCulture);

    public static FeedOrder Order(string? order) => order switch
    {
        null or "" or "newest" => FeedOrder.Newest,
        "ranked" => FeedOrder.Ranked,
        _ => throw new ValidationException("order must be newest or ranked.") { ParameterName = "order" },
    };

    public static PageRequest Page(string? cursor, string? limit) => new(cursor, Limit(limit, PageRequest.DefaultLimit, PageRequest.MaxLimit));

    public static int Limit(string? text, int fallback, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max
            ? value
            : throw new ValidationException($"limit must be a whole number from 1 to {max}.") { ParameterName = "limit" };
    }

    public static Visibility? Visibility(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" => null,
        "public" => ImageSocial.Visibility.Public,
        "followers" => ImageSocial.Visibility.Followers,
        "private" => ImageSocial.Visibility.Private,
        _ => throw new ValidationException("visibility must be public, followers or private.") { ParameterName = "visibility" },
    };

    public static string Format(Visibility visibility) => visibility switch
    {
        ImageSocial.Visibility.Public => "public",
        ImageSocial.Visibility.Followers => "followers",
        _ => "private",
    };

    public static string Format(FollowState state) => state switch
    {
        FollowState.Following => "following",
        FollowState.Pending => "pending",
        _ => "none",
    };

    public static RenditionKind Size(string size) => size switch
    {
        "thumb" => RenditionKind.Thumb,
        "feed" => RenditionKind.Feed,
        "large" => RenditionKind.Large,
        "original" => RenditionKind.Original,
        "video" => RenditionKind.Video,
        _ => throw new NotFoundException($"There is no size '{(size.Length > 20 ? size[..20] : size)}'; use thumb, feed, large, original or video."),
    };

    /// <summary>A form's true/false field; absent or empty is false.</summary>
    public static bool Flag(string? value, string name) => value switch
    {
        null or "" or "false" => false,
        "true" => true,
        _ => throw new ValidationException($"'{name}' is true or false.") { ParameterName = name },
    };

    /// <summary>Comma-separated tags; empty entries dropped (the SDK normalizes and validates the rest).</summary>
    public static IReadOnlyList<string> Tags(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
