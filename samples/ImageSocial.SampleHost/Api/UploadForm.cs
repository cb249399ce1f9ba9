using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Api;

/// <summary>Reads a multipart upload: the <c>file</c> part (buffered by the form reader, to disk when large) and the text fields.</summary>
internal sealed record UploadForm(IFormFile File, IFormCollection Fields)
{
    /// <summary>The largest body of any other request.</summary>
    public const long JsonRequestLimit = 1L << 20;

    /// <summary>The largest upload request: the larger of the image and video limits (the image limit alone for a route that takes images
    /// only) plus room for the other form fields.</summary>
    public static long RequestLimit(ImageSocialOptions options, bool videos = true) => FileLimit(options, videos) + (1L << 20);

    private static long FileLimit(ImageSocialOptions options, bool videos) => videos ? Math.Max(options.MaxUploadBytes, options.Video.MaxBytes) : options.MaxUploadBytes;

    /// <summary>The file part as an image in memory, refused over the image upload limit.</summary>
    public async Task<byte[]> ReadImageAsync(ImageSocialOptions options, CancellationToken cancellationToken)
    {
        if (File.Length > options.MaxUploadBytes)
        {
            throw new InputTooLargeException($"The upload is {File.Length} bytes; the limit is {options.MaxUploadBytes}.");
        }

        var bytes = new byte[File.Length];
        await using var stream = File.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }


    public static async Task<UploadForm> ReadAsync(HttpRequest request, ImageSocialOptions options, CancellationToken cancellationToken, bool videos = true)
    {
        if (!request.HasFormContentType)
        {
            throw new BadHttpRequestException("Send the image as multipart/form-data with a 'file' part.", StatusCodes.Status415UnsupportedMediaType);
        }

        // Refuse an oversized body before reading it; bodies without a length are capped by the server's and the form reader's limits.
        if (request.ContentLength > RequestLimit(options, videos))
        {
            throw new InputTooLargeException($"The upload limit is {FileLimit(options, videos)} bytes.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // A truncated body, a missing final boundary, a boundary that never appears or plain garbage: the client's fault, never a 500.
            throw new BadHttpRequestException("The multipart body is malformed or over its limits: " + ex.Message, StatusCodes.Status400BadRequest, ex);
        }

        var file = form.Files.GetFile("file") ?? throw new ValidationException("The form has no 'file' part.") { ParameterName = "file" };
        if (file.Length > FileLimit(options, videos))
        {
            throw new InputTooLargeException($"The upload is {file.Length} bytes; the limit is {FileLimit(options, videos)}.");
        }

        foreach (var (name, values) in form)
        {
            // The form reader decodes text fields as UTF-8 and puts U+FFFD where bytes are not UTF-8; the JSON routes refuse such bytes,
            // so this route refuses them too rather than store a mangled title.
            if (values.Any(v => v is not null && v.Contains('\uFFFD', StringComparison.Ordinal)))
            {
                throw new ValidationException($"The form field '{name}' is not valid UTF-8.") { ParameterName = name };
            }
        }

        return new UploadForm(file, form);
    }
}

internal static class UploadRoutes
{
    /// <summary>Raises the server's request body limit for an upload route to <see cref="UploadForm.RequestLimit"/>.</summary>
    public static RouteHandlerBuilder AcceptsUploads(this RouteHandlerBuilder route, IEndpointRouteBuilder app, bool videos = true) =>
        route.WithMetadata(new RequestSizeLimitAttribute(UploadForm.RequestLimit(app.ServiceProvider.GetRequiredService<IOptions<ImageSocialOptions>>().Value, videos)))
            .Accepts<IFormFile>("multipart/form-data");
}
