using System.Text.Json;

namespace ImageSocial.SampleHost.Api;

/// <summary>Reads a JSON body by hand on the anonymous routes: a body bound by the framework makes routing answer another content type
/// with an endpoint of its own, which the fallback authorization policy then answers 401; read here, it is a 415 as on every other route.</summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Send the body as application/json.", StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            return await request.ReadFromJsonAsync<T>(cancellationToken).ConfigureAwait(false)
                ?? throw new BadHttpRequestException("The body is empty.", StatusCodes.Status400BadRequest);
        }
        catch (JsonException ex)
        {
            throw new BadHttpRequestException("The body is not valid JSON: " + ex.Message, StatusCodes.Status400BadRequest, ex);
        }
    }
}
