using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;token&gt;</c> with tokens from <see cref="TokenService"/>.</summary>
internal sealed class BearerAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (await tokens.ValidateAsync(header["Bearer ".Length..].Trim()).ConfigureAwait(false) is not { } caller)
        {
            return AuthenticateResult.Fail("The access token is not valid.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, caller.User.ToString())], SchemeName);
        if (caller.IsAdmin)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, AuthPolicies.AdminRole));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
