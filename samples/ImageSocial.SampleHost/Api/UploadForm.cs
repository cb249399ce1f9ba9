using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Api;

/// <summary>Reads a multipart upload: the <c>file</c> part into memory (bounded by the upload limit) and the text fields.</summary>
internal sealed record UploadForm(byte[] File, IFormCollection Fields)
{
    /// <summary>The largest body of any other request.</summary>
    public const long JsonRequestLimit = 1L << 20;

    /// <summary>The largest upload request: the upload limit plus room for the other form fields.</summary>
    public static long RequestLimit(ImageSocialOptions options) => options.MaxUploadBytes + (1L << 20);


    public static async Task<UploadForm> ReadAsync(HttpRequest request, ImageSocialOptions options, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new BadHttpRequestException("Send the image as multipart/form-data with a 'file' part.", StatusCodes.Status415UnsupportedMediaType);
        }

        // Refuse an oversized body before reading it; bodies without a length are capped by the server's and the form reader's limits.
        if (request.ContentLength > RequestLimit(options))
        {
            throw new InputTooLargeException($"The upload limit is {options.MaxUploadBytes} bytes.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new BadHttpRequestException("The multipart body is malformed or over its limits: " + ex.Message, StatusCodes.Status400BadRequest, ex);
        }

        var file = form.Files.GetFile("file") ?? throw new ValidationException("The form has no 'file' part.") { ParameterName = "file" };
        if (file.Length > options.MaxUploadBytes)
        {
            throw new InputTooLargeException($"The upload is {file.Length} bytes; the limit is {options.MaxUploadBytes}.");
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return new UploadForm(bytes, form);
    }
}

internal static class UploadRoutes
{
    /// <summary>Raises the server's request body limit for an upload route to <see cref="UploadForm.RequestLimit"/>.</summary>
    public static RouteHandlerBuilder AcceptsUploads(this RouteHandlerBuilder route, IEndpointRouteBuilder app) =>
        route.WithMetadata(new RequestSizeLimitAttribute(UploadForm.RequestLimit(app.ServiceProvider.GetRequiredService<IOptions<ImageSocialOptions>>().Value)))
            .Accepts<IFormFile>("multipart/form-data");
}
