using ImageSocial.SampleHost.Api;
using ImageSocial.SampleHost.Auth;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost;

/// <summary>Composes the reference deployment: the SDK and its providers from configuration, then telemetry, authentication, limits,
/// errors and routes.</summary>
internal static class SampleHost
{
    /// <summary>The address used when neither ASPNETCORE_URLS nor --urls names one.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args)
    {
        // appsettings.json ships next to the binary; the data folder stays relative to where the host is started.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var configuration = builder.Configuration;
        var data = DataFolder.From(configuration);
        builder.Services.AddSingleton(data);
        var sdk = builder.Services.AddImageSocial(configuration.GetSection("ImageSocial"));
        Providers.Apply(sdk, configuration.GetSection("ImageSocial"), data);
        var roles = HostRoles.From(configuration);
        builder.Services.AddSingleton(roles);
        builder.Services.Configure<ImageSocialOptions>(o => o.Jobs.Enabled &= roles.Jobs);
        builder.AddSampleTelemetry();

        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOptions<Microsoft.AspNetCore.Http.Features.FormOptions>().Configure<IOptions<ImageSocialOptions>>((o, s) => o.MultipartBodyLengthLimit = UploadForm.RequestLimit(s.Value));
        // JSON bodies are small; the two upload routes raise the limit for themselves (UploadForm.Limit).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = UploadForm.JsonRequestLimit);

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddSampleAuthentication(configuration.GetSection("Auth"));
        builder.Services.AddSampleRateLimits(configuration.GetSection("RateLimits"));
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks(); // the providers registered their own checks
        ScheduledBackups.AddTo(builder.Services, configuration);

        var app = builder.Build();
        app.Use((context, next) =>
        {
            // Set as the response starts: the exception handler clears the headers of a response it rewrites.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseMiddleware<RequestLogging>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            if (roles.Declines(context.Request))
            {
                // A load balancer sends this to a host with the role; 503 says "elsewhere, and try again", never a client error.
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(new { title = "This host does not take this request.", status = 503, detail = "Its Host:Roles leave it to other hosts." },
                    (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        // The web front end (wwwroot: static files, no build step) is open to all; what it shows comes from the API, with the user's token.
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = WebFrontEnd.Secure });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapSampleHealth();
        app.MapSampleTelemetry();
        app.MapOpenApi().AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapPhotoEndpoints();
        app.MapDiscoveryEndpoints();
        app.MapAdminEndpoints();
        app.MapSafetyEndpoints();
        return app;
    }
}
