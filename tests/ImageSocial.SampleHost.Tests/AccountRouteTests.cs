using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The caller's own profile, look-ups by handle, and what a sign-in returns.</summary>
public sealed class AccountRouteTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    [Fact]
    public async Task The_token_names_its_user_and_me_reads_and_changes_the_callers_profile()
    {
        var alice = await host.SignUpAsync("alice");
        var token = await host.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = alice.Username, password = "correct horse battery" });
        Assert.Equal(alice.Id, (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["userId"]!);

        var me = await alice.GetJsonAsync("/api/users/me");
        Assert.Equal((alice.Id, alice.Username, false), ((string)me["id"]!, (string)me["username"]!, (bool)me["isPrivate"]!));

        var bob = await host.SignUpAsync("bob");
        var stranger = await host.SignUpAsync("stranger");
        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        var photo = (string)(await alice.UploadAsync(Api.Image(3), "for followers", visibility: "public"))["id"]!;
        Assert.Equal(HttpStatusCode.OK, await stranger.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));

        using var patch = await alice.Http.PatchAsJsonAsync("/api/users/me", new { displayName = "Alice P.", isPrivate = true });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var changed = (await patch.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("Alice P.", true), ((string)changed["displayName"]!, (bool)changed["isPrivate"]!));
        Assert.Equal(HttpStatusCode.NotFound, await stranger.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}")); // right after the change
        Assert.Equal(HttpStatusCode.OK, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));          // approved followers stay
        Assert.Equal(HttpStatusCode.Accepted, await stranger.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));

        using var back = await alice.Http.PatchAsJsonAsync("/api/users/me", new { isPrivate = false });
        Assert.Equal(("Alice P.", false), ((string)(await back.Content.ReadFromJsonAsync<JsonObject>())!["displayName"]!, false));
        Assert.Equal(HttpStatusCode.OK, await stranger.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));
        using var empty = await alice.Http.PatchAsJsonAsync("/api/users/me", new { displayName = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Users_are_found_by_handle_in_any_case()
    {
        var carol = await host.SignUpAsync("carol");
        var dave = await host.SignUpAsync("dave");
        var found = await dave.GetJsonAsync($"/api/users/by-handle/{carol.Username.ToUpperInvariant()}");
        Assert.Equal(carol.Id, (string)found["id"]!);
        Assert.Equal(HttpStatusCode.NotFound, await dave.StatusAsync(HttpMethod.Get, "/api/users/by-handle/nobody_here"));
        Assert.Equal(HttpStatusCode.NotFound, await dave.StatusAsync(HttpMethod.Get, "/api/users/by-handle/x"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync($"/api/users/by-handle/{carol.Username}")).StatusCode);
    }
}
