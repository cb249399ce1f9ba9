using System.Net;

namespace ImageSocial.SampleHost.Tests;

/// <summary>What the web front end needs from the host beyond the browser: its files at <c>/</c> for anyone, under a policy that allows
/// this host only; the two state reads its buttons start from (a follow's state, whether the caller likes a post).</summary>
public sealed class FrontEndRouteTests : IClassFixture<SampleHostFactory>
{
    private readonly SampleHostFactory host;

    public FrontEndRouteTests(SampleHostFactory host) => this.host = host;

    [Fact]
    public async Task The_pages_are_served_at_the_root_without_a_token_under_a_same_origin_policy()
    {
        var anonymous = host.CreateClient();
        using var page = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal); // no third-party origin is allowed

        foreach (var (file, type) in new[] { ("/app.js", "text/javascript"), ("/api.js", "text/javascript"), ("/app.css", "text/css") })
        {
            using var response = await anonymous.GetAsync(file);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("https://", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/feed")).StatusCode);
    }

    [Fact]
    public async Task Follow_state_and_like_state_read_what_the_buttons_changed()
    {
        var alice = await host.SignUpAsync("state_alice");
        var bob = await host.SignUpAsync("state_bob");
        var carol = await host.SignUpAsync("state_carol", isPrivate: true);
        Assert.Equal("none", (string)(await bob.GetJsonAsync($"/api/users/{alice.Id}/follow"))["state"]!);
        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        Assert.Equal("following", (string)(await bob.GetJsonAsync($"/api/users/{alice.Id}/follow"))["state"]!);
        Assert.Equal(HttpStatusCode.Accepted, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{carol.Id}/follow"));
        Assert.Equal("pending", (string)(await bob.GetJsonAsync($"/api/users/{carol.Id}/follow"))["state"]!);

        var photo = (string)(await alice.UploadAsync(Api.Image(5), "state"))["id"]!;
        Assert.False((bool)(await bob.GetJsonAsync($"/api/photos/{photo}/like"))["liked"]!);
        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/photos/{photo}/like"));
        Assert.True((bool)(await bob.GetJsonAsync($"/api/photos/{photo}/like"))["liked"]!);
        Assert.False((bool)(await alice.GetJsonAsync($"/api/photos/{photo}/like"))["liked"]!);

        var hidden = (string)(await alice.UploadAsync(Api.Image(6), "mine only", visibility: "private"))["id"]!;
        Assert.Equal(HttpStatusCode.NotFound, await carol.StatusAsync(HttpMethod.Get, $"/api/photos/{hidden}/like"));
        Assert.Equal(HttpStatusCode.BadRequest, await bob.StatusAsync(HttpMethod.Get, "/api/users/not-an-id/follow"));
        Assert.Equal(HttpStatusCode.NotFound, await bob.StatusAsync(HttpMethod.Get, "/api/users/765453658921545728/follow"));
        Assert.Equal(HttpStatusCode.NoContent, await carol.StatusAsync(HttpMethod.Put, $"/api/users/{bob.Id}/block"));
        Assert.Equal(HttpStatusCode.NotFound, await bob.StatusAsync(HttpMethod.Get, $"/api/users/{carol.Id}/follow"));
    }
}
