using Microsoft.AspNetCore.Diagnostics;

namespace ImageSocial.SampleHost.Api;

/// <summary>Turns every exception into RFC 7807 problem+json: the SDK's typed errors into 4xx, anything unexpected into a 500 with no details.</summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a cancellation, or the body read failing as the connection dropped): there is nobody to answer, and
            // it is not the server's error.
            LogClientGone(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
            return true;
        }

        var (status, title) = Classify(exception);
        string detail;
        if (status >= 500)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            detail = "The server could not complete the request.";
        }
        else
        {
            detail = exception.Message;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }

    private static (int Status, string Title) Classify(Exception exception) => exception switch
    {
        ValidationException => (400, "The request is not valid"),
        ForbiddenException => (403, "Forbidden"),
        NotFoundException => (404, "Not found"), // Never 403 for a resource: existence is not revealed.
        ConflictException => (409, "Conflict"),
        InputTooLargeException => (413, "Too large"),
        UnsupportedImageFormatException => (415, "Not an accepted image format"),
        ImageDecodeException => (422, "The image cannot be decoded"),
        UnsupportedVideoException => (415, "Not an accepted image or video"),
        VideoDecodeException => (422, "The video cannot be processed"),
        BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode switch
        {
            413 => "Too large",
            415 => "Unsupported media type",
            _ => "Bad request",
        }),
        ImageSocialException { IsTransient: true } => (503, "Temporarily unavailable"),
        _ => (500, "Internal error"),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "The client of {Method} {Path} went away ({Exception})")]
    private static partial void LogClientGone(ILogger logger, string method, string path, string exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
