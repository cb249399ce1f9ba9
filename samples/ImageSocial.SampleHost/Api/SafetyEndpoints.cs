using System.Security.Claims;

namespace ImageSocial.SampleHost.Api;

/// <summary>Blocks, reports and the moderators' routes. Who may do what is decided by the SDK (a member asking for the queue gets 403).</summary>
internal static class SafetyEndpoints
{
    public static void MapSafetyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/users/{id}/block", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).BlockAsync(ApiValues.User(id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Blocks an account: neither sees the other anywhere, follows both ways end, neither can follow, like or comment on the other.");
        app.MapDelete("/api/users/{id}/block", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).UnblockAsync(ApiValues.User(id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Removes a block (ended follows stay ended).");
        app.MapGet("/api/blocks", async (string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            var page = await user.As(sdk).GetBlockedAsync(ApiValues.Page(cursor, limit), ct);
            return new PageResponse<UserResponse>(page.Items.Select(UserResponse.From).ToList(), page.NextCursor);
        }).WithSummary("The accounts the caller blocks.");

        app.MapPost("/api/photos/{id}/reports", async (string id, HttpRequest request, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<ReasonRequest>(request, ct);
            return TypedResults.Created((string?)null, ReportResponse.From(await user.As(sdk).ReportPhotoAsync(ApiValues.Photo(id), body.Reason ?? "", ct)));
        }).WithSummary("Reports a post to the moderators, with a reason.");
        app.MapPost("/api/comments/{id}/reports", async (string id, HttpRequest request, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<ReasonRequest>(request, ct);
            return TypedResults.Created((string?)null, ReportResponse.From(await user.As(sdk).ReportCommentAsync(ApiValues.Comment(id), body.Reason ?? "", ct)));
        }).WithSummary("Reports a comment to the moderators, with a reason.");

        var moderation = app.MapGroup("/api/moderation");
        moderation.MapGet("/reports", async (string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            var page = await user.As(sdk).GetOpenReportsAsync(ApiValues.Page(cursor, limit), ct);
            return new PageResponse<ReportResponse>(page.Items.Select(ReportResponse.From).ToList(), page.NextCursor);
        }).WithSummary("The open reports, oldest first (moderators and admins).");
        moderation.MapPost("/photos/{id}/hide", async (string id, HttpRequest request, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).HidePhotoAsync(ApiValues.Photo(id), (await JsonBody.ReadAsync<ReasonRequest>(request, ct)).Reason ?? "", ct);
            return TypedResults.NoContent();
        }).WithSummary("Hides a post from everyone but its owner, who sees why (moderators and admins).");
        moderation.MapPost("/photos/{id}/unhide", async (string id, HttpRequest request, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).UnhidePhotoAsync(ApiValues.Photo(id), await OptionalReasonAsync(request, ct), ct);
            return TypedResults.NoContent();
        }).WithSummary("Shows a hidden post again (moderators and admins).");
        moderation.MapPost("/comments/{id}/hide", async (string id, HttpRequest request, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).HideCommentAsync(ApiValues.Comment(id), (await JsonBody.ReadAsync<ReasonRequest>(request, ct)).Reason ?? "", ct);
            return TypedResults.NoContent();
        }).WithSummary("Hides a comment from everyone but its author, who sees why (moderators and admins).");
        moderation.MapPost("/comments/{id}/unhide", async (string id, HttpRequest request, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).UnhideCommentAsync(ApiValues.Comment(id), await OptionalReasonAsync(request, ct), ct);
            return TypedResults.NoContent();
        }).WithSummary("Shows a hidden comment again (moderators and admins).");
    }

    /// <summary>The reason of a body that may be absent (unhide, reinstate).</summary>
    internal static async Task<string?> OptionalReasonAsync(HttpRequest request, CancellationToken ct) =>
        request.ContentLength is null or 0 && request.ContentType is null ? null : (await JsonBody.ReadAsync<ReasonRequest>(request, ct)).Reason;
}
