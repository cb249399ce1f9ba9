using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Api;

/// <summary>Rate limits (configuration section <c>RateLimits</c>); the defaults never get in the way of one person's normal use.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Sign-ups and token requests per client address per minute.</summary>
    public int AuthPerMinute { get; set; } = 30;

    /// <summary>Failed sign-ins one account may have within <see cref="LoginFailureWindow"/>, from any address, before its token
    /// requests get 429.</summary>
    public int LoginFailuresPerAccount { get; set; } = 10;

    /// <summary>The window of <see cref="LoginFailuresPerAccount"/>.</summary>
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Uploads (and similar-image queries, which also decode an upload) per user per minute.</summary>
    public int UploadsPerMinute { get; set; } = 60;
}

internal static class RateLimits
{
    public const string Auth = "auth";
    public const string Upload = "upload";

    public static IServiceCollection AddSampleRateLimits(this IServiceCollection services, IConfigurationSection section)
    {
        services.AddOptions<RateLimitOptions>().Bind(section);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = "Try again later." },
                }).ConfigureAwait(false);
            };
            o.AddPolicy(Auth, http => Window(http, "ip:" + http.Connection.RemoteIpAddress, l => l.AuthPerMinute));
            o.AddPolicy(Upload, http => Window(http, "user:" + http.User.FindFirstValue(ClaimTypes.NameIdentifier), l => l.UploadsPerMinute));
        });
        return services;
    }

    private static RateLimitPartition<string> Window(HttpContext http, string key, Func<RateLimitOptions, int> permits)
    {
        var limit = permits(http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }
}
