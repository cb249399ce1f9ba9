using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Api;

/// <summary>Photos: upload, read, content, edit, delete and restore, listings, likes and comments.</summary>
internal static class PhotoEndpoints
{
    public static void MapPhotoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/photos", UploadAsync).AcceptsUploads(app).RequireRateLimiting(RateLimits.Upload).WithSummary("Uploads a photo or a video (multipart: file, title, tags, visibility).");
        app.MapGet("/api/photos/{id}", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            TypedResults.Ok(PhotoResponse.From(await user.As(sdk).GetPhotoAsync(ApiValues.Photo(id), ct), user.Viewer())));
        app.MapGet("/api/photos/{id}/content/{size}", ContentAsync).WithSummary("A rendition's bytes; the original for its owner only.");
        app.MapPatch("/api/photos/{id}", UpdateAsync).WithSummary("Changes title, tags or visibility (owner only).");
        app.MapDelete("/api/photos/{id}", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).DeletePhotoAsync(ApiValues.Photo(id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Soft-deletes a photo (owner only).");
        app.MapPost("/api/photos/{id}/restore", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            TypedResults.Ok(PhotoResponse.From(await user.As(sdk).RestorePhotoAsync(ApiValues.Photo(id), ct), user.Viewer())));
        app.MapGet("/api/trash", async (string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            Photos(await user.As(sdk).ListTrashAsync(ApiValues.Page(cursor, limit), ct), user.Viewer())).WithSummary("The caller's restorable deleted photos.");
        app.MapGet("/api/users/{id}/photos", async (string id, string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            Photos(await user.As(sdk).ListPhotosAsync(ApiValues.User(id), ApiValues.Page(cursor, limit), ct), user.Viewer()));

        app.MapGet("/api/photos/{id}/like", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            TypedResults.Ok(new LikedResponse(await user.As(sdk).LikesAsync(ApiValues.Photo(id), ct)))).WithSummary("Whether the caller likes the post.");
        app.MapPut("/api/photos/{id}/like", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).LikeAsync(ApiValues.Photo(id), ct);
            return TypedResults.NoContent();
        });
        app.MapDelete("/api/photos/{id}/like", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).UnlikeAsync(ApiValues.Photo(id), ct);
            return TypedResults.NoContent();
        });
        app.MapPost("/api/photos/{id}/comments", async (string id, CommentRequest body, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            var comment = await user.As(sdk).AddCommentAsync(ApiValues.Photo(id), body.Text ?? "", ct);
            return TypedResults.Created($"/api/photos/{id}/comments", CommentResponse.From(comment));
        });
        app.MapGet("/api/photos/{id}/comments", async (string id, string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            var page = await user.As(sdk).GetCommentsAsync(ApiValues.Photo(id), ApiValues.Page(cursor, limit), ct);
            return new PageResponse<CommentResponse>(page.Items.Select(CommentResponse.From).ToList(), page.NextCursor);
        });
    }

    internal static PageResponse<PhotoResponse> Photos(Page<Photo> page, UserId viewer) =>
        new(page.Items.Select(p => PhotoResponse.From(p, viewer)).ToList(), page.NextCursor);

    private static async Task<IResult> UploadAsync(HttpRequest request, ClaimsPrincipal user, ImageSocialService sdk, IOptions<ImageSocialOptions> options, CancellationToken ct)
    {
        var form = await UploadForm.ReadAsync(request, options.Value, ct);
        var draft = new PhotoDraft(form.Fields["title"].ToString(), ApiValues.Tags(form.Fields["tags"].ToString()),
            ApiValues.Visibility(form.Fields["visibility"].ToString()) ?? Visibility.Public, ApiValues.Flag(form.Fields["shareLocation"].ToString(), "shareLocation"));
        // A photo or a video, told apart by the first bytes; a video streams from the form's buffer to the SDK's staging file.
        Photo photo;
        await using (var content = form.File.OpenReadStream())
        {
            photo = await user.As(sdk).UploadAsync(content, draft, ct);
        }

        return TypedResults.Created($"/api/photos/{photo.Id}", PhotoResponse.From(photo, user.Viewer()));
    }

    private static async Task<IResult> ContentAsync(string id, string size, HttpContext context, ImageSocialService sdk, CancellationToken ct)
    {
        // Streamed through the host from any blob provider, S3 included, rather than redirected to a presigned URL: the viewer's access is
        // checked on every request, so a visibility change, an unfollow or a block takes effect at once, where a URL handed out before
        // would keep working until it expired.
        var kind = ApiValues.Size(size);
        var content = await context.User.As(sdk).OpenContentAsync(ApiValues.Photo(id), kind, ct);
        // Who may see a photo can change at any moment, so no shared or stored copies.
        context.Response.Headers.CacheControl = "private, no-store";
        // Video players fetch byte ranges (206, or 416 out of range); a provider whose stream cannot seek (S3) is skipped forward.
        return kind == RenditionKind.Video
            ? Results.Stream(content.Content.CanSeek ? content.Content : new ForwardSeekStream(content.Content, content.Length), content.ContentType, enableRangeProcessing: true)
            : Results.Stream(content.Content, content.ContentType);
    }

    private static async Task<IResult> UpdateAsync(string id, UpdatePhotoRequest body, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct)
    {
        var update = new PhotoUpdate(body.Title, body.Tags, ApiValues.Visibility(body.Visibility), body.ShareLocation);
        return TypedResults.Ok(PhotoResponse.From(await user.As(sdk).UpdatePhotoAsync(ApiValues.Photo(id), update, ct), user.Viewer()));
    }
}
