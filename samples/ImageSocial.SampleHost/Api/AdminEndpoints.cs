using System.Globalization;
using ImageSocial.SampleHost.Auth;

namespace ImageSocial.SampleHost.Api;

/// <summary>Operations for administrators (accounts whose stored role is admin): the outbox's state and its dead letters, roles.</summary>
internal static class AdminEndpoints
{
    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(AuthPolicies.Admin);
        admin.MapGet("/outbox", async (ImageSocialService sdk, CancellationToken ct) => TypedResults.Ok(OutboxResponse.From(await sdk.GetOutboxStatsAsync(ct))))
            .WithSummary("How much background work waits: pending, due, in flight, dead letters, the oldest due message.");
        admin.MapGet("/dead-letters", async (string? cursor, string? limit, ImageSocialService sdk, CancellationToken ct) =>
        {
            var page = await sdk.ListDeadLettersAsync(ApiValues.Page(cursor, limit), ct);
            return new PageResponse<DeadLetterResponse>(page.Items.Select(DeadLetterResponse.From).ToList(), page.NextCursor);
        }).WithSummary("Background work that failed too often and was set aside, with its last error.");
        admin.MapPost("/dead-letters/{id}/retry", async (string id, ImageSocialService sdk, CancellationToken ct) =>
        {
            await sdk.RetryDeadLetterAsync(MessageId(id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Puts one dead letter back in the queue.");
        admin.MapPost("/dead-letters/retry", async (ImageSocialService sdk, CancellationToken ct) =>
            TypedResults.Ok(new RetriedResponse(await sdk.RetryAllDeadLettersAsync(ct)))).WithSummary("Puts every dead letter back in the queue.");
        admin.MapPut("/users/{id}/role", async (string id, RoleRequest body, System.Security.Claims.ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            var role = body.Role switch
            {
                "member" => UserRole.Member,
                "moderator" => UserRole.Moderator,
                "admin" => UserRole.Admin,
                _ => throw new ValidationException("role is member, moderator or admin.") { ParameterName = "role" },
            };
            await user.As(sdk).SetRoleAsync(ApiValues.User(id), role, ct);
            return TypedResults.NoContent();
        }).WithSummary("Grants or revokes a role: member, moderator or admin.");
        admin.MapPost("/users/{id}/suspend", async (string id, HttpRequest request, System.Security.Claims.ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).SuspendAsync(ApiValues.User(id), (await JsonBody.ReadAsync<ReasonRequest>(request, ct)).Reason ?? "", ct);
            return TypedResults.NoContent();
        }).WithSummary("Suspends an account: invisible everywhere, cannot sign in or act; its data is kept.");
        admin.MapPost("/users/{id}/reinstate", async (string id, HttpRequest request, System.Security.Claims.ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).ReinstateAsync(ApiValues.User(id), await SafetyEndpoints.OptionalReasonAsync(request, ct), ct);
            return TypedResults.NoContent();
        }).WithSummary("Reinstates a suspended account.");
        admin.MapGet("/audit", async (string? cursor, string? limit, System.Security.Claims.ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            var page = await user.As(sdk).GetAuditLogAsync(ApiValues.Page(cursor, limit), ct);
            return new PageResponse<AuditEntryResponse>(page.Items.Select(AuditEntryResponse.From).ToList(), page.NextCursor);
        }).WithSummary("The moderation audit log, newest first: who did what, when and why.");
    }

    private static long MessageId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ValidationException("The message id is a positive whole number.") { ParameterName = "id" };
}
