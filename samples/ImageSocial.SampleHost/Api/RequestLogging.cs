using System.Diagnostics;
using System.Security.Claims;

namespace ImageSocial.SampleHost.Api;

/// <summary>One structured log event per request: method, path (never the query), status, duration and the caller's user id.</summary>
internal sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            LogRequest(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode,
                Stopwatch.GetElapsedTime(start).TotalMilliseconds, context.User.FindFirstValue(ClaimTypes.NameIdentifier));
        }
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information, Message = "{Method} {Path} {StatusCode} {ElapsedMs:0.0} ms user={UserId}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double elapsedMs, string? userId);
}
