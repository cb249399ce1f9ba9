using System.Security.Claims;
using ImageSocial.SampleHost.Auth;

namespace ImageSocial.SampleHost.Api;

/// <summary>Sign-up, tokens, profiles and the follow graph.</summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/users", CreateUserAsync).AllowAnonymous().RequireRateLimiting(RateLimits.Auth).WithSummary("Creates an account.");
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous().RequireRateLimiting(RateLimits.Auth).WithSummary("Exchanges a username and password for an access token.");
        app.MapGet("/api/users/me", async (ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            TypedResults.Ok(UserResponse.From(await user.As(sdk).GetProfileAsync(ct)))).WithSummary("The caller's own profile.");
        app.MapPatch("/api/users/me", async (UpdateProfileRequest body, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            TypedResults.Ok(UserResponse.From(await user.As(sdk).UpdateProfileAsync(body.DisplayName, body.IsPrivate, ct))))
            .WithSummary("Changes the caller's display name or makes the account private or public (approved followers stay).");
        app.MapGet("/api/users/by-handle/{handle}", async (string handle, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            TypedResults.Ok(UserResponse.From(await user.As(sdk).GetUserByHandleAsync(handle, ct)))).WithSummary("Finds a profile by its handle (username).");
        app.MapGet("/api/users/{id}", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            TypedResults.Ok(UserResponse.From(await user.As(sdk).GetUserAsync(ApiValues.User(id), ct)))).WithSummary("Gets a profile.");

        app.MapGet("/api/users/{id}/follow", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            // The profile read first: an account that does not exist, or is blocked either way, is a 404 here as there.
            var followee = (await user.As(sdk).GetUserAsync(ApiValues.User(id), ct)).Id;
            return TypedResults.Ok(new FollowStateResponse(ApiValues.Format(await user.As(sdk).GetFollowStateAsync(followee, ct))));
        }).WithSummary("The caller's follow of an account: none, pending (a request awaiting approval) or following.");
        app.MapPut("/api/users/{id}/follow", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            await user.As(sdk).FollowAsync(ApiValues.User(id), ct) == FollowState.Pending ? Results.Accepted() : Results.NoContent())
            .WithSummary("Follows an account; a private account gets a pending request (202).");
        app.MapDelete("/api/users/{id}/follow", async (string id, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).UnfollowAsync(ApiValues.User(id), ct);
            return TypedResults.NoContent();
        }).WithSummary("Unfollows, or withdraws a pending request.");
        app.MapGet("/api/users/{id}/followers", async (string id, string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            Users(await user.As(sdk).GetFollowersAsync(ApiValues.User(id), ApiValues.Page(cursor, limit), ct)));
        app.MapGet("/api/users/{id}/following", async (string id, string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            Users(await user.As(sdk).GetFollowingAsync(ApiValues.User(id), ApiValues.Page(cursor, limit), ct)));

        app.MapGet("/api/follow-requests", async (string? cursor, string? limit, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
            Users(await user.As(sdk).GetFollowRequestsAsync(ApiValues.Page(cursor, limit), ct))).WithSummary("The caller's pending follow requests.");
        app.MapPost("/api/follow-requests/{userId}/approve", async (string userId, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).ApproveFollowRequestAsync(ApiValues.User(userId), ct);
            return TypedResults.NoContent();
        });
        app.MapPost("/api/follow-requests/{userId}/reject", async (string userId, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct) =>
        {
            await user.As(sdk).RejectFollowRequestAsync(ApiValues.User(userId), ct);
            return TypedResults.NoContent();
        });
    }

    private static async Task<IResult> CreateUserAsync(HttpRequest request, ImageSocialService sdk, Passwords passwords, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<CreateUserRequest>(request, ct);
        var hash = passwords.Hash(body.Password);
        var created = await sdk.CreateUserAsync(body.Username ?? "", body.DisplayName ?? "", body.IsPrivate ?? false, hash, ct);
        return TypedResults.Created($"/api/users/{created.Id}", UserResponse.From(created));
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext context, ImageSocialService sdk, Passwords passwords, TokenService tokens, LoginThrottle throttle,
        Microsoft.Extensions.Options.IOptions<AuthOptions> auth, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<TokenRequest>(context.Request, ct);
        var username = body.Username ?? "";
        if (throttle.RetryAfter(username) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: "Too many failed sign-ins for this account; try again later.");
        }

        var user = await sdk.FindAccountAsync(username, ct);
        var stored = user is null ? null : await sdk.GetPasswordHashAsync(user.Id, ct);
        var (valid, rehash) = passwords.Verify(stored, body.Password);
        if (!valid || user is null)
        {
            throttle.Failed(username);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "The username or password is wrong.");
        }

        throttle.Succeeded(username);
        if (user.IsSuspended)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The account is suspended.");
        }

        if (user.Role != UserRole.Admin && auth.Value.Admins.Contains(user.Handle, StringComparer.OrdinalIgnoreCase))
        {
            // The first admins come from configuration: granted (stored) at their first sign-in; removing them from the list revokes nothing.
            await sdk.GrantRoleAsync(user.Id, UserRole.Admin, ct);
        }
        if (rehash)
        {
            await sdk.SetPasswordHashAsync(user.Id, passwords.Hash(body.Password), ct);
        }

        var (token, expiresIn) = tokens.Issue(user);
        return TypedResults.Ok(new TokenResponse(token, expiresIn, user.Id.ToString()));
    }

    private static PageResponse<UserResponse> Users(Page<User> page) => new(page.Items.Select(UserResponse.From).ToList(), page.NextCursor);
}
