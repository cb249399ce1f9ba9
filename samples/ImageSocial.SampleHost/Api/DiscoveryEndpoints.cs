using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Api;

/// <summary>Feed, title/tag search and visual similarity.</summary>
internal static class DiscoveryEndpoints
{
    private const int DefaultSimilar = 20;
    private const int MaxSimilar = 100;

    public static void MapDiscoveryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/feed", async (string? cursor, string? limit, string? order, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            PhotoEndpoints.Photos(await user.As(sdk).GetFeedAsync(ApiValues.Page(cursor, limit), ApiValues.Order(order), ct), user.Viewer()))
            .WithSummary("The caller's home feed (order: newest, the default, or ranked).");
        app.MapGet("/api/feed/events", FeedEvents.StreamAsync).WithSummary("Server-Sent Events: 'post' events with the id of each new post that reaches the caller's feed.");
        app.MapGet("/api/search", async (string? q, string? tag, string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            PhotoEndpoints.Photos(await user.As(sdk).SearchAsync(q, tag, ApiValues.Page(cursor, limit), ct), user.Viewer())).WithSummary("Searches titles (q) and tags (tag).");
        app.MapGet("/api/photos/{id}/similar", async (string id, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            Scored(await user.As(sdk).FindSimilarAsync(ApiValues.Photo(id), ApiValues.Limit(limit, DefaultSimilar, MaxSimilar), ct), user.Viewer()))
            .WithSummary("Photos that look like this one.");
        app.MapPost("/api/search/similar", async (HttpRequest request, string? limit, ClaimsPrincipal user, ImageSocialService sdk, IOptions<ImageSocialOptions> options, CancellationToken ct) =>
        {
            var form = await UploadForm.ReadAsync(request, options.Value, ct, videos: false);
            return Scored(await user.As(sdk).FindSimilarToImageAsync(await form.ReadImageAsync(options.Value, ct), ApiValues.Limit(limit, DefaultSimilar, MaxSimilar), ct), user.Viewer());
        }).AcceptsUploads(app, videos: false).RequireRateLimiting(RateLimits.Upload).WithSummary("Photos that look like an uploaded image (multipart: file).");
    }

    private static ItemsResponse<ScoredPhotoResponse> Scored(IReadOnlyList<ScoredPhoto> found, UserId viewer) =>
        new(found.Select(s => new ScoredPhotoResponse(PhotoResponse.From(s.Photo, viewer), s.Score)).ToList());
}
