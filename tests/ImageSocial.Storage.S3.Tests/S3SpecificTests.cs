using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.S3.Tests;

[Collection(S3Collection.Name)]
public sealed class S3SpecificTests(S3Fixture s3)
{
    [Fact]
    public async Task A_presigned_url_reads_the_object_with_the_asked_type_and_disposition()
    {
        using var store = await s3.NewStoreAsync("p/");
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        await store.PutAsync("u1/p1/large", bytes, "image/jpeg");
        await store.PutAsync("u1/p1/original", bytes, "image/jpeg");
        var url = await store.GetReadUrlAsync("u1/p1/large", TimeSpan.FromMinutes(2), new BlobReadOptions("image/jpeg", "p1-large.jpg"));
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline; filename=\"p1-large.jpg\"", response.Content.Headers.ContentDisposition!.ToString());

        // Signed for this key and two minutes (s3rver itself does not check a presigned URL's signature; Amazon S3 does).
        Assert.Contains("X-Amz-Expires=120", url.Query, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sdk_defaults_would_corrupt_objects_on_this_server_and_the_store_does_not()
    {
        var options = await s3.NewOptionsAsync();
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        using (var defaults = new AmazonS3Client(options.AccessKey, options.SecretKey, new AmazonS3Config { ServiceURL = options.ServiceUrl, ForcePathStyle = true }))
        {
            await defaults.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = "defaults", InputStream = new MemoryStream(bytes) });
            using var stored = await s3.Server.Client().GetObjectAsync(options.Bucket, "defaults");
            using var copy = new MemoryStream();
            await stored.ResponseStream.CopyToAsync(copy);
            Assert.NotEqual(bytes, copy.ToArray()); // aws-chunked framing and trailing checksums stored as the object
        }

        using var store = new S3BlobStore(Options.Create(options));
        await store.PutAsync("u/p/original", bytes, "image/jpeg");
        using var blob = await store.GetAsync("u/p/original");
        using var read = new MemoryStream();
        await blob!.Content.CopyToAsync(read);
        Assert.Equal(bytes, read.ToArray());
    }

    [Fact]
    public async Task Server_side_encryption_is_asked_for_on_every_write()
    {
        // s3rver accepts the headers without encrypting or echoing them, so this reads them off the client's own requests.
        foreach (var (mode, method, key) in new[] { (S3ServerSideEncryption.S3, "AES256", (string?)null), (S3ServerSideEncryption.Kms, "aws:kms", "alias/photos") })
        {
            var options = await s3.NewOptionsAsync();
            options.ServerSideEncryption = mode;
            options.KmsKeyId = key;
            var seen = new List<IDictionary<string, string>>();
            using var client = S3BlobStore.CreateClient(options);
            client.BeforeRequestEvent += (_, e) => seen.Add(new Dictionary<string, string>(((Amazon.Runtime.WebServiceRequestEventArgs)e).Headers));
            using var store = new S3BlobStore(client, options);
            await store.PutAsync("u/p/thumb", new byte[] { 1, 2, 3 }, "image/jpeg");
            using (var large = new ConformanceTests.GeneratedStream(11 << 20, seed: 1))
            {
                await store.PutAsync("u/p/original", large, "image/jpeg"); // a multipart upload: the header goes with its initiation
            }

            var writes = seen.Where(h => h.ContainsKey("Content-MD5") || h.ContainsKey("x-amz-server-side-encryption")).ToList();
            Assert.Equal(2, writes.Count(h => h.TryGetValue("x-amz-server-side-encryption", out var v) && v == method));
            if (key is not null)
            {
                Assert.Equal(2, writes.Count(h => h.TryGetValue("x-amz-server-side-encryption-aws-kms-key-id", out var v) && v == key));
            }

            Assert.Equal(4, seen.Count(h => h.ContainsKey("Content-MD5"))); // the single put and each of the three parts carry their MD5
        }
    }

    [Fact]
    public async Task Errors_are_typed_a_missing_bucket_is_not_transient_and_a_server_that_is_gone_is()
    {
        var options = await s3.NewOptionsAsync();
        options.Bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8];
        using var missing = new S3BlobStore(Options.Create(options));
        var error = await Assert.ThrowsAsync<S3BlobStoreException>(() => missing.PutAsync("u/p/thumb", new byte[] { 1 }, "image/jpeg"));
        Assert.False(error.IsTransient);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);

        using var server = S3Server.Start();
        var gone = new S3BlobStoreOptions
        {
            ServiceUrl = server.ServiceUrl, Bucket = await server.NewBucketAsync(), AccessKey = server.AccessKey, SecretKey = server.SecretKey,
            ForcePathStyle = true, MaxRetries = 1,
        };
        using var store = new S3BlobStore(Options.Create(gone));
        server.Kill();
        var down = await Assert.ThrowsAsync<S3BlobStoreException>(() => store.GetAsync("u/p/thumb"));
        Assert.True(down.IsTransient);
        Assert.Null(down.StatusCode);
    }
}
