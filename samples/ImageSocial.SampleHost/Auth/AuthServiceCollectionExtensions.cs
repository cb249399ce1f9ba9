using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ImageSocial.SampleHost.Auth;

internal static class AuthServiceCollectionExtensions
{
    /// <summary>Bearer tokens (ASP.NET Core's JwtBearer handler, validating what <see cref="TokenService"/> issues) for every route;
    /// routes that must be open opt out with AllowAnonymous.</summary>
    public static IServiceCollection AddSampleAuthentication(this IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<AuthOptions>().Bind(section).ValidateDataAnnotations()
            .Validate(o => o.SigningKey is null || TokenService.IsStrongKey(o.SigningKey), "Auth:SigningKey must be base64 of at least 32 bytes.")
            .Validate(o => o.TokenLifetime > TimeSpan.Zero, "Auth:TokenLifetime must be positive.")
            .ValidateOnStart();
        services.AddSingleton<TokenService>();
        services.AddSingleton<Passwords>();
        services.AddSingleton<LoginThrottle>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // The key lives with the TokenService (configured, or generated into the data folder), so the handler takes its rules from there.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService>((o, tokens) =>
        {
            o.TokenValidationParameters = tokens.Validation;
            o.MapInboundClaims = false;
            o.Events = new JwtBearerEvents { OnTokenValidated = AddUserId };
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build())
            .AddPolicy(AuthPolicies.Admin, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(AuthPolicies.AdminRole));
        return services;
    }

    /// <summary>The routes read the caller as a user id (<see cref="ClaimTypes.NameIdentifier"/>); a token whose subject is not one, or
    /// names an account that does not exist (deleted, or a token signed for a made-up id), fails.</summary>
    private static async Task AddUserId(TokenValidatedContext context)
    {
        if (context.Principal?.FindFirst(JwtRegisteredClaimNames.Sub)?.Value is not { } subject || !UserId.TryParse(subject, out var user)
            || context.Principal.Identity is not ClaimsIdentity identity)
        {
            context.Fail("The access token names no user.");
            return;
        }

        User account;
        try
        {
            account = await context.HttpContext.RequestServices.GetRequiredService<ImageSocialService>().For(user).GetProfileAsync(context.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            context.Fail("The access token names an account that does not exist.");
            return;
        }

        if (account.IsSuspended)
        {
            context.Fail("The account is suspended.");
            return;
        }

        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.ToString(), ClaimValueTypes.String));
        // The role is the stored one, read now (a token from an older release may carry one: it is ignored).
        foreach (var carried in identity.FindAll(TokenService.RoleClaim).ToList())
        {
            identity.RemoveClaim(carried);
        }

        foreach (var role in AuthPolicies.RolesOf(account.Role))
        {
            identity.AddClaim(new Claim(TokenService.RoleClaim, role, ClaimValueTypes.String));
        }
    }
}
