using System.Net;
using System.Net.Http.Json;
using ImageSocial.Imaging.Vips.Tests;

namespace ImageSocial.SampleHost.Tests;

/// <summary>A post's <c>location</c> is in its JSON for its owner, and for others only once the owner shares it.</summary>
public sealed class LocationRouteTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    [Fact]
    public async Task Location_is_shown_to_the_owner_and_to_others_only_when_shared()
    {
        var (owner, viewer) = (await host.SignUpAsync("loc_owner"), await host.SignUpAsync("loc_viewer"));
        var jpeg = TestImages.WithExif(TestImages.Encode(300, 200), orientation: 1, latitude: 48.8584, longitude: 2.2945);
        var posted = await owner.UploadAsync(jpeg, "tower");
        var id = (string)posted["id"]!;

        Assert.Equal(48.8584, (double)posted["location"]!["latitude"]!, 3);
        Assert.False((bool)posted["shareLocation"]!);
        Assert.Null((await viewer.GetJsonAsync($"/api/photos/{id}"))["location"]);

        using (var share = await owner.Http.PatchAsJsonAsync($"/api/photos/{id}", new { shareLocation = true }))
        {
            Assert.Equal(HttpStatusCode.OK, share.StatusCode);
        }

        var seen = await viewer.GetJsonAsync($"/api/photos/{id}");
        Assert.Equal(2.2945, (double)seen["location"]!["longitude"]!, 3);

        using var shared = await owner.Http.PostAsync("/api/photos", Api.Form(jpeg, ("title", "shared at once"), ("shareLocation", "true")));
        var sharedId = (string)(await shared.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!;
        Assert.NotNull((await viewer.GetJsonAsync($"/api/photos/{sharedId}"))["location"]);
        using var bad = await owner.Http.PostAsync("/api/photos", Api.Form(jpeg, ("shareLocation", "yes please")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
