using System.Net;
using System.Text.Json.Nodes;
using ImageSocial.Testing.Servers;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The sample host with its blobs on a real S3 server, as a deployment chooses by configuration
/// (<c>ImageSocial:Providers:Blobs=s3</c>, <c>ImageSocial:S3:*</c>).</summary>
public sealed class S3SampleHostTests : IDisposable
{
    private readonly S3Server s3 = S3Server.Start();

    [Fact]
    public async Task Photos_go_to_the_bucket_and_come_back_through_the_host_under_the_viewers_rule()
    {
        var bucket = await s3.NewBucketAsync();
        using var host = OnS3(bucket);
        host.Settings["ImageSocial:S3:Prefix"] = "photos/";
        var alice = await host.SignUpAsync("alice");
        var bob = await host.SignUpAsync("bob");
        var image = Api.Image(9, 200, 150);
        var photo = await alice.UploadAsync(image, "on s3", visibility: "followers");
        var id = (string)photo["id"]!;

        using var original = await alice.Http.GetAsync($"/api/photos/{id}/content/original");
        Assert.Equal(image, await original.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/thumb"));
        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        Assert.Equal(HttpStatusCode.OK, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/thumb"));

        using var client = s3.Client();
        var listed = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket, Prefix = "photos/" });
        Assert.Equal(4, listed.S3Objects.Count(o => o.Key.Contains(id, StringComparison.Ordinal))); // original, thumb, feed, large
        var health = JsonNode.Parse(await host.CreateClient().GetStringAsync("/health"))!;
        Assert.Equal("Healthy", (string)health["checks"]!["imagesocial-s3"]!["status"]!);
        // The embedding job reads the large rendition back from the bucket.
        var second = (string)(await alice.UploadAsync(Api.Image(10, 200, 150), "also on s3"))["id"]!;
        await Api.EventuallyAsync(async () => (await alice.IdsAsync($"/api/photos/{id}/similar")).Contains(second), "similar search over S3 renditions");
    }

    [Fact]
    public async Task A_video_on_s3_plays_with_byte_ranges()
    {
        using var host = OnS3(await s3.NewBucketAsync());
        var alice = await host.SignUpAsync("alice");
        var id = (string)(await alice.UploadAsync(await File.ReadAllBytesAsync(Clips.Real("mp4.mp4")), "on s3"))["id"]!;
        await Api.EventuallyAsync(async () => (string)(await alice.GetJsonAsync($"/api/photos/{id}"))["status"]! == "ready", "the web rendition");
        var whole = await alice.Http.GetByteArrayAsync($"/api/photos/{id}/content/video");

        // The S3 object's stream cannot seek: the host skips forward to the range.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{id}/content/video");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(whole.Length - 1000, null);
        using var tail = await alice.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(whole[^1000..], await tail.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => s3.Dispose();

    /// <summary>A sample host whose blobs are in <paramref name="bucket"/> of the test's S3 server, chosen by configuration.</summary>
    private SampleHostFactory OnS3(string bucket) => new()
    {
        Settings =
        {
            ["ImageSocial:Providers:Blobs"] = "s3",
            ["ImageSocial:S3:ServiceUrl"] = s3.ServiceUrl,
            ["ImageSocial:S3:Bucket"] = bucket,
            ["ImageSocial:S3:AccessKey"] = s3.AccessKey,
            ["ImageSocial:S3:SecretKey"] = s3.SecretKey,
            ["ImageSocial:S3:ForcePathStyle"] = "true",
        },
    };
}
