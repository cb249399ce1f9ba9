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
        Assert.Matches("X-Amz-Expires=1(19|20|21)&", url.Query);
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
    public async Task Every_write_is_signed_with_its_body_hash_and_asks_for_server_side_encryption()
    {
        // s3rver accepts the encryption headers without encrypting or echoing them, so this reads the requests the client sends.
        foreach (var (mode, method, key) in new[] { (S3ServerSideEncryption.S3, "AES256", (string?)null), (S3ServerSideEncryption.Kms, "aws:kms", "alias/photos") })
        {
            var options = await s3.NewOptionsAsync();
            options.ServerSideEncryption = mode;
            options.KmsKeyId = key;
            var writes = new List<(HttpRequestMessage Request, string Body)>();
            var config = S3BlobStore.CreateConfig(options);
            config.HttpClientFactory = new RecordingFactory(writes);
            using var client = new AmazonS3Client(options.AccessKey, options.SecretKey, config);
            using var store = new S3BlobStore(client, options);
            await store.PutAsync("u/p/thumb", new byte[] { 1, 2, 3 }, "image/jpeg");
            using (var large = new ConformanceTests.GeneratedStream(11 << 20, seed: 1))
            {
                await store.PutAsync("u/p/original", large, "image/jpeg"); // a multipart upload: encryption is asked for when it starts
            }

            Assert.Equal(2, writes.Count(w => Header(w.Request, "x-amz-server-side-encryption") == method));
            Assert.Equal(key is null ? 0 : 2, writes.Count(w => Header(w.Request, "x-amz-server-side-encryption-aws-kms-key-id") is { } id && id == key));
            var bodies = writes.Where(w => w.Request.Method == HttpMethod.Put).ToList();
            Assert.Equal(4, bodies.Count); // the single put and the three parts
            Assert.All(bodies, w => Assert.Equal(w.Body, Header(w.Request, "x-amz-content-sha256"))); // the whole body's hash, signed; not UNSIGNED-PAYLOAD
            Assert.All(bodies, w => Assert.Null(w.Request.Content!.Headers.ContentEncoding.FirstOrDefault(e => e == "aws-chunked")));
        }
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) || (request.Content?.Headers.TryGetValues(name, out values) ?? false) ? values!.First() : null;

    /// <summary>Lets the client's own HTTP requests be read: the SDK's hook for supplying its HttpClient.</summary>
    private sealed class RecordingFactory(List<(HttpRequestMessage, string)> writes) : Amazon.Runtime.HttpClientFactory
    {
        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => new(new Recorder(writes, new HttpClientHandler()));

        private sealed class Recorder(List<(HttpRequestMessage, string)> writes, HttpMessageHandler inner) : DelegatingHandler(inner)
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.Method == HttpMethod.Put || request.Method == HttpMethod.Post)
                {
                    var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
                    lock (writes)
                    {
                        writes.Add((request, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))));
                    }
                }

                return await base.SendAsync(request, cancellationToken);
            }
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
