using Microsoft.AspNetCore.StaticFiles;

namespace ImageSocial.SampleHost;

/// <summary>Headers of the web front end's files: a content security policy that allows this host only (no third-party requests,
/// no inline script), media from blob URLs (content is fetched with the user's token), and no framing.</summary>
internal static class WebFrontEnd
{
    private const string Policy = "default-src 'self'; img-src 'self' blob:; media-src 'self' blob:; style-src 'self'; script-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static void Secure(StaticFileResponseContext context)
    {
        var headers = context.Context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        // The pages change with the host; a browser revalidates instead of running yesterday's script against today's API.
        headers.CacheControl = "no-cache";
    }
}
