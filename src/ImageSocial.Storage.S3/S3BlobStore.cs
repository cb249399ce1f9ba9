using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ImageSocial.ProviderServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.S3;

/// <summary><see cref="IBlobStore"/> on Amazon S3 or an S3-compatible store.</summary>
/// <remarks>
/// <para>Every write's body is covered by its signature: the SDK hashes it (SHA-256) and signs the hash, and the store recomputes it and
/// refuses a body that changed on the way. The SDK's flexible checksums and aws-chunked bodies are turned off, because several
/// S3-compatible stores mishandle them (one stores the chunk framing as the object). Streams longer than <see cref="S3BlobStoreOptions.MultipartThreshold"/> go up in parts
/// of <see cref="S3BlobStoreOptions.PartSize"/>; a failed or cancelled multipart upload is aborted, so it leaves nothing behind.</para>
/// <para>Thread-safe. The client is created from the options and disposed with the store, or handed in and left alone.</para>
/// </remarks>
public sealed partial class S3BlobStore : IBlobStore, IDisposable
{
    private readonly IAmazonS3 client;
    private readonly bool ownsClient;
    private readonly S3BlobStoreOptions options;
    private readonly ILogger logger;

    /// <summary>Creates the store and its client from the options.</summary>
    /// <param name="options">Bucket, endpoint, credentials and upload rules.</param>
    /// <param name="loggerFactory">Receives the store's warnings (category <c>ImageSocial.Storage.S3</c>).</param>
    public S3BlobStore(IOptions<S3BlobStoreOptions> options, ILoggerFactory? loggerFactory = null)
        : this(CreateClient(Unwrap(options)), Unwrap(options), ownsClient: true, loggerFactory)
    {
    }

    /// <summary>Creates the store over a client the caller configured and keeps (it is not disposed with the store). Configure it the
    /// way <see cref="CreateClient"/> does when the store is S3-compatible rather than Amazon S3.</summary>
    /// <param name="client">The client.</param>
    /// <param name="options">Bucket, prefix and upload rules (the endpoint and credentials are the client's).</param>
    /// <param name="loggerFactory">Receives the store's warnings (category <c>ImageSocial.Storage.S3</c>).</param>
    public S3BlobStore(IAmazonS3 client, S3BlobStoreOptions options, ILoggerFactory? loggerFactory = null)
        : this(client, options, ownsClient: false, loggerFactory)
    {
    }

    private S3BlobStore(IAmazonS3 client, S3BlobStoreOptions options, bool ownsClient, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        (this.client, this.options, this.ownsClient) = (client, options, ownsClient);
        logger = loggerFactory?.CreateLogger(S3Telemetry.Name) ?? NullLogger.Instance;
    }

    /// <summary>The client this store talks through.</summary>
    public IAmazonS3 Client => client;

    /// <summary>A client configured as the store needs it: the endpoint and region, path-style addressing, the SDK's standard retry mode
    /// with <see cref="S3BlobStoreOptions.MaxRetries"/>, checksums only where the service requires them, and the credentials (or the
    /// standard chain).</summary>
    /// <param name="options">The options.</param>
    public static AmazonS3Client CreateClient(S3BlobStoreOptions options)
    {
        var config = CreateConfig(options);
        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <summary>The client configuration <see cref="CreateClient"/> uses, for an application that builds its own client (to set a proxy,
    /// an <c>HttpClientFactory</c> or timeouts) and hands it to the store.</summary>
    /// <param name="options">The options.</param>
    public static AmazonS3Config CreateConfig(S3BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxRetries,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        return config;
    }

    /// <inheritdoc />
    public Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
        S3Telemetry.RunAsync("Put", key, async () =>
        {
            ArgumentNullException.ThrowIfNull(contentType);
            var full = FullKey(key);
            await PutOneAsync(full, content, contentType, cancellationToken).ConfigureAwait(false);
            S3Telemetry.CountBytes("write", content.Length);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<BlobContent?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        S3Telemetry.RunAsync<BlobContent?>("Get", key, async () =>
        {
            var full = FullKey(key);
            GetObjectResponse response;
            try
            {
                response = await client.GetObjectAsync(options.Bucket, full, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            S3Telemetry.CountBytes("read", response.ContentLength);
            return new BlobContent(new ResponseStream(response), response.Headers.ContentType ?? "application/octet-stream", response.ContentLength);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        S3Telemetry.RunAsync("Exists", key, () => ExistsCoreAsync(FullKey(key), cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        S3Telemetry.RunAsync("Delete", key, async () =>
        {
            // S3 deletes answer the same whether or not the object was there; the contract says which.
            var full = FullKey(key);
            var existed = await ExistsCoreAsync(full, cancellationToken).ConfigureAwait(false);
            await client.DeleteObjectAsync(options.Bucket, full, cancellationToken).ConfigureAwait(false);
            return existed;
        }, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new ListObjectsV2Request { BucketName = options.Bucket, Prefix = options.Prefix + prefix };
        do
        {
            var page = await S3Telemetry.RunAsync("List", prefix, () => client.ListObjectsV2Async(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                var key = item.Key[options.Prefix.Length..];
                if (BlobKeys.IsValid(key))
                {
                    yield return key;
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (request.ContinuationToken is not null);
    }

    /// <inheritdoc />
    /// <remarks>A presigned GET URL: anyone holding it reads the object until it expires, whatever happens to the photo meanwhile.</remarks>
    public Task<Uri> GetReadUrlAsync(string key, TimeSpan timeToLive, BlobReadOptions? options = null, CancellationToken cancellationToken = default) =>
        S3Telemetry.RunAsync("GetReadUrl", key, async () =>
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
            var request = new GetPreSignedUrlRequest
            {
                BucketName = this.options.Bucket,
                Key = FullKey(key),
                Verb = HttpVerb.GET,
                Expires = DateTime.UtcNow + timeToLive,
                Protocol = this.options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
            };
            if (options is not null)
            {
                request.ResponseHeaderOverrides.ContentDisposition = options.ContentDisposition;
                if (options.ContentType is { } type)
                {
                    request.ResponseHeaderOverrides.ContentType = type;
                }
            }

            return new Uri(await client.GetPreSignedURLAsync(request).ConfigureAwait(false));
        }, cancellationToken);

    /// <summary>Answers when the bucket can be listed (the health check).</summary>
    internal Task PingAsync(CancellationToken cancellationToken) =>
        client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, Prefix = options.Prefix, MaxKeys = 1 }, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsClient)
        {
            client.Dispose();
        }
    }

    private async Task<bool> ExistsCoreAsync(string fullKey, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(options.Bucket, fullKey, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>One PUT, its body signed whole (not aws-chunked).</summary>
    private async Task PutOneAsync(string fullKey, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = options.Bucket,
            Key = fullKey,
            InputStream = AsStream(content),
            ContentType = contentType,
            UseChunkEncoding = false,
        };
        ApplyEncryption(request);
        await client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private void ApplyEncryption(PutObjectRequest request)
    {
        (request.ServerSideEncryptionMethod, request.ServerSideEncryptionKeyManagementServiceKeyId) = Encryption();
    }

    private (ServerSideEncryptionMethod? Method, string? KmsKeyId) Encryption() => options.ServerSideEncryption switch
    {
        S3ServerSideEncryption.S3 => (ServerSideEncryptionMethod.AES256, null),
        S3ServerSideEncryption.Kms => (ServerSideEncryptionMethod.AWSKMS, string.IsNullOrEmpty(options.KmsKeyId) ? null : options.KmsKeyId),
        _ => (null, null),
    };

    private string FullKey(string key)
    {
        BlobKeys.Validate(key);
        return options.Prefix + key;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private static S3BlobStoreOptions Unwrap(IOptions<S3BlobStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }

    /// <summary>The object's body; disposing it ends the response.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream inner = response.ResponseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
