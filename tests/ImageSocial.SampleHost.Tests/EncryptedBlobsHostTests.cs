using System.Net;
using System.Security.Cryptography;
using ImageSocial.Testing.Servers;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The sample host with its local blobs encrypted at rest, by configuration only: content reads back as uploaded (ranges included),
/// and every file on disk is in the encrypted format under the configured key.</summary>
public sealed class EncryptedBlobsHostTests : IDisposable
{
    private static readonly string FirstKey = Convert.ToBase64String(SHA256.HashData("first"u8));

    private readonly SampleHostFactory host = new()
    {
        Settings =
        {
            ["ImageSocial:LocalBlobs:Encryption:CurrentKeyId"] = "2026-12",
            ["ImageSocial:LocalBlobs:Encryption:Keys:2026-12"] = FirstKey,
        },
    };

    [Fact]
    public async Task Uploads_are_encrypted_on_disk_and_read_back_whole_and_videos_in_ranges()
    {
        var alice = await host.SignUpAsync("alice");
        var image = Api.Image(9, 640, 480);
        var id = (string)(await alice.UploadAsync(image, "sealed"))["id"]!;

        Assert.Equal(image, await alice.Http.GetByteArrayAsync($"/api/photos/{id}/content/original"));
        // A video plays with byte ranges out of the encrypted file (a range across a 64 KiB chunk boundary).
        var video = (string)(await alice.UploadAsync(await File.ReadAllBytesAsync(Clips.Real("mov.mov")), "sealed clip"))["id"]!;
        await Api.EventuallyAsync(async () => (string)(await alice.GetJsonAsync($"/api/photos/{video}"))["status"]! == "ready", "the web rendition");
        var whole = await alice.Http.GetByteArrayAsync($"/api/photos/{video}/content/video");
        Assert.True(whole.Length > 140_000, $"{whole.Length} bytes");
        using (var range = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{video}/content/video"))
        {
            range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(65_000, 140_000);
            using var partial = await alice.Http.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(whole[65_000..140_001], await partial.Content.ReadAsByteArrayAsync());
        }

        var files = Directory.EnumerateFiles(Path.Combine(host.DataDirectory, "blobs"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".content-type", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.')).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal("ISBLOB"u8.ToArray(), bytes[1..7]);
            Assert.Equal("2026-12"u8.ToArray(), bytes[16..23]); // the key id in the header
        }
    }

    public void Dispose() => host.Dispose();
}
