using Microsoft.AspNetCore.Authorization;

namespace ImageSocial.SampleHost.Auth;

internal static class AuthServiceCollectionExtensions
{
    /// <summary>Bearer tokens for every route; routes that must be open opt out with AllowAnonymous.</summary>
    public static IServiceCollection AddSampleAuthentication(this IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<AuthOptions>().Bind(section).ValidateDataAnnotations()
            .Validate(o => o.SigningKey is null || TokenService.IsStrongKey(o.SigningKey), "Auth:SigningKey must be base64 of at least 32 bytes.")
            .Validate(o => o.TokenLifetime > TimeSpan.Zero, "Auth:TokenLifetime must be positive.")
            .ValidateOnStart();
        services.AddSingleton<TokenService>();
        services.AddSingleton<Passwords>();
        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(AuthPolicies.Admin, p => p.AddAuthenticationSchemes(BearerAuthenticationHandler.SchemeName).RequireRole(AuthPolicies.AdminRole));
        return services;
    }
}
