using System.Globalization;
using System.Security.Claims;

namespace ImageSocial.SampleHost.Api;

/// <summary><c>GET /api/feed/events</c>: a Server-Sent Events stream that tells a signed-in client when its feed has new posts. Each event is
/// <c>event: post</c> with <c>data: {"id":"…"}</c> (the client pages <c>/api/feed</c> to show it); a comment line every 15 seconds keeps
/// proxies from closing an idle stream. At most 4 streams per user on one host (409 beyond); announcements from other hosts arrive
/// through Redis when <c>ImageSocial:Redis:Configuration</c> is set.</summary>
internal static class FeedEvents
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext http, ClaimsPrincipal user, ImageSocialService sdk, CancellationToken ct)
    {
        // Registered before the first byte, so that a refused watch is still a problem response.
        await using var watch = await user.As(sdk).WatchFeedAsync(ct);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.WriteAsync(": watching\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
            beat.CancelAfter(KeepAlive);
            try
            {
                if (!await watch.Posts.WaitToReadAsync(beat.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await http.Response.WriteAsync(": keep-alive\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
                continue;
            }
            catch (OperationCanceledException)
            {
                return; // the client went away
            }

            while (watch.Posts.TryRead(out var photo))
            {
                await http.Response.WriteAsync($"event: post\ndata: {{\"id\":\"{photo.Value.ToString(CultureInfo.InvariantCulture)}\"}}\n\n", ct);
            }

            await http.Response.Body.FlushAsync(ct);
        }
    }
}
