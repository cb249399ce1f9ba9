using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ImageSocial.Testing.Servers;

namespace ImageSocial.SampleHost.Tests;

/// <summary>Videos over HTTP: the upload route takes them, every post says its kind and status, and the web rendition is served with
/// byte ranges to whoever may see the post.</summary>
public sealed class VideoRouteTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    [Fact]
    public async Task A_video_upload_reports_processing_then_ready_and_plays_with_byte_ranges()
    {
        var (owner, fan, stranger) = (await host.SignUpAsync("vid_owner"), await host.SignUpAsync("vid_fan"), await host.SignUpAsync("vid_stranger"));
        Assert.Equal(HttpStatusCode.NoContent, await fan.StatusAsync(HttpMethod.Put, $"/api/users/{owner.Id}/follow"));
        var posted = await owner.UploadAsync(await File.ReadAllBytesAsync(Clips.Real("mov.mov")), "harbour clip", "boats", "followers");
        var id = (string)posted["id"]!;
        Assert.Equal("video", (string)posted["kind"]!);
        Assert.Equal("processing", (string)posted["status"]!);
        Assert.InRange((long)posted["durationMs"]!, 5_000, 5_700);
        Assert.Null(posted["urls"]!["video"]);

        JsonObject ready = posted;
        await Api.EventuallyAsync(async () => (string)(ready = await fan.GetJsonAsync($"/api/photos/{id}"))["status"]! == "ready", "the web rendition");
        Assert.Equal($"/api/photos/{id}/content/video", (string)ready["urls"]!["video"]!);
        Assert.Null(ready["urls"]!["original"]); // the owner's only
        Assert.Equal((560, 320), ((int)ready["width"]!, (int)ready["height"]!));
        Assert.Contains(id, await fan.IdsAsync("/api/feed"));
        Assert.Contains(id, await fan.IdsAsync("/api/search?q=harbour"));

        using var whole = await fan.Http.GetAsync($"/api/photos/{id}/content/video");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType!.MediaType);
        Assert.Contains("bytes", whole.Headers.AcceptRanges);
        var bytes = await whole.Content.ReadAsByteArrayAsync();

        using var first = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{id}/content/video");
        first.Headers.Range = new RangeHeaderValue(100, 199);
        using var part = await fan.Http.SendAsync(first);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{bytes.Length}", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal(bytes[100..200], await part.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{id}/content/video");
        beyond.Headers.Range = new RangeHeaderValue(bytes.Length + 10, null);
        using var refused = await fan.Http.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal($"bytes */{bytes.Length}", refused.Content.Headers.ContentRange!.ToString());

        Assert.Equal(HttpStatusCode.NotFound, await stranger.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/video"));
        Assert.Equal(HttpStatusCode.NotFound, await fan.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/original"));
        Assert.Equal(HttpStatusCode.OK, await owner.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/original"));
        Assert.Equal(HttpStatusCode.NoContent, await owner.StatusAsync(HttpMethod.Delete, $"/api/photos/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await fan.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/video"));
    }

    [Fact]
    public async Task A_photo_says_it_is_a_ready_photo_and_has_no_video()
    {
        var owner = await host.SignUpAsync("vid_photographer");
        var posted = await owner.UploadAsync(Api.Image(5), "still");

        Assert.Equal(("photo", "ready"), ((string)posted["kind"]!, (string)posted["status"]!));
        Assert.Null(posted["durationMs"]);
        Assert.Equal(HttpStatusCode.NotFound, await owner.StatusAsync(HttpMethod.Get, $"/api/photos/{posted["id"]}/content/video"));
    }

    [Theory]
    [InlineData("playlist", 415)]
    [InlineData("truncated", 422)]
    [InlineData("many-streams", 413)]
    public async Task A_hostile_video_gets_a_typed_status(string name, int status)
    {
        var owner = await host.SignUpAsync("vid_hostile_" + name.Replace('-', '_'));
        var file = Clips.Hostile(name);

        using var response = await owner.Http.PostAsync("/api/photos", Api.Form(await File.ReadAllBytesAsync(file), ("title", name)));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(await owner.IdsAsync($"/api/users/{owner.Id}/photos"));
    }
}
