using Microsoft.AspNetCore.Authorization;

namespace ImageSocial.SampleHost.Auth;

internal static class AuthServiceCollectionExtensions
{
    /// <summary>Bearer tokens for every route; routes that must be open opt out with AllowAnonymous.</summary>
    public static IServiceCollection AddSampleAuthentication(this IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<AuthOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TokenService>();
        services.AddSingleton<Passwords>();
        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        return services;
    }
}
