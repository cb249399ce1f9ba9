using System.Net;

namespace ImageSocial.SampleHost.Tests;

/// <summary><c>GET /api/feed/events</c> and the feed's order parameter.</summary>
public sealed class FeedEventsTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    [Fact]
    public async Task New_posts_are_announced_only_to_followers_who_may_see_them()
    {
        var (alice, bob, carl, eve) = (await host.SignUpAsync("ev_alice"), await host.SignUpAsync("ev_bob"), await host.SignUpAsync("ev_carl"), await host.SignUpAsync("ev_eve"));
        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        Assert.Equal(HttpStatusCode.NoContent, await eve.StatusAsync(HttpMethod.Put, $"/api/users/{carl.Id}/follow"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var bobEvents = await OpenAsync(bob, stop.Token);
        using var eveEvents = await OpenAsync(eve, stop.Token);

        var forFollowers = (string)(await alice.UploadAsync(Api.Image(1), "for followers", "", "followers"))["id"]!;
        Assert.Equal(forFollowers, await NextPostAsync(bobEvents, stop.Token));
        // Eve follows carl, not alice: the first announcement she gets is carl's later post, never alice's.
        var carls = (string)(await carl.UploadAsync(Api.Image(2), "public", "", "public"))["id"]!;
        Assert.Equal(carls, await NextPostAsync(eveEvents, stop.Token));
        Assert.Equal([forFollowers], await bob.IdsAsync("/api/feed"));
    }

    [Fact]
    public async Task Streams_are_bounded_per_user_and_need_a_signed_in_user()
    {
        var dana = await host.SignUpAsync("ev_dana");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var open = new List<StreamReader>();
        for (var i = 0; i < 4; i++)
        {
            open.Add(await OpenAsync(dana, stop.Token));
        }

        using (var fifth = await dana.Http.GetAsync("/api/feed/events", HttpCompletionOption.ResponseHeadersRead, stop.Token))
        {
            Assert.Equal(HttpStatusCode.Conflict, fifth.StatusCode);
        }

        open[0].Dispose();
        await Api.EventuallyAsync(async () =>
        {
            using var again = await dana.Http.GetAsync("/api/feed/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
            return again.StatusCode == HttpStatusCode.OK;
        }, "a closed stream to free its place");
        open.ForEach(s => s.Dispose());

        using var anonymous = await host.CreateClient().GetAsync("/api/feed/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_feed_takes_an_order()
    {
        var erin = await host.SignUpAsync("ev_erin");
        Assert.Equal(HttpStatusCode.OK, await erin.StatusAsync(HttpMethod.Get, "/api/feed?order=ranked"));
        Assert.Equal(HttpStatusCode.OK, await erin.StatusAsync(HttpMethod.Get, "/api/feed?order=newest"));
        Assert.Equal(HttpStatusCode.BadRequest, await erin.StatusAsync(HttpMethod.Get, "/api/feed?order=best"));
    }

    /// <summary>Opens a user's stream and waits for its first line (the watch is registered before it is written).</summary>
    private static async Task<StreamReader> OpenAsync(ApiUser user, CancellationToken ct)
    {
        var response = await user.Http.GetAsync("/api/feed/events", HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        Assert.Equal(": watching", await reader.ReadLineAsync(ct));
        return reader;
    }

    /// <summary>The id of the next <c>post</c> event.</summary>
    private static async Task<string> NextPostAsync(StreamReader reader, CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line == "event: post")
            {
                var data = await reader.ReadLineAsync(ct);
                return System.Text.Json.Nodes.JsonNode.Parse(data!["data: ".Length..])!["id"]!.GetValue<string>();
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }
}
