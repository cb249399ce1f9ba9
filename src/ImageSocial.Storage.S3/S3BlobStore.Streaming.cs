using System.Buffers;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace ImageSocial.Storage.S3;

public sealed partial class S3BlobStore
{
    /// <inheritdoc />
    /// <remarks>Reads up to <see cref="S3BlobStoreOptions.MultipartThreshold"/> bytes first: a stream that ends there is one PUT. A longer
    /// one goes up as a multipart upload, <see cref="S3BlobStoreOptions.PartConcurrency"/> parts of
    /// <see cref="S3BlobStoreOptions.PartSize"/> at a time, each signed with its SHA-256; so at most about the threshold plus that many parts is
    /// held in memory, however long the stream. A failure or cancellation aborts the upload, which leaves nothing behind.</remarks>
    public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default) =>
        S3Telemetry.RunAsync("Put", key, async () =>
        {
            ArgumentNullException.ThrowIfNull(content);
            ArgumentNullException.ThrowIfNull(contentType);
            var full = FullKey(key);
            var head = ArrayPool<byte>.Shared.Rent(checked((int)options.MultipartThreshold) + 1);
            try
            {
                var length = await ReadFullyAsync(content, head.AsMemory(0, (int)options.MultipartThreshold + 1), cancellationToken).ConfigureAwait(false);
                if (length <= options.MultipartThreshold)
                {
                    await PutOneAsync(full, head.AsMemory(0, length), contentType, cancellationToken).ConfigureAwait(false);
                    S3Telemetry.CountBytes("write", length);
                    return true;
                }

                var total = await PutInPartsAsync(full, contentType, new Source(head.AsMemory(0, length), content), cancellationToken).ConfigureAwait(false);
                S3Telemetry.CountBytes("write", total);
                return true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(head);
            }
        }, cancellationToken);

    private async Task<long> PutInPartsAsync(string fullKey, string contentType, Source source, CancellationToken cancellationToken)
    {
        var (method, kmsKey) = Encryption();
        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = options.Bucket,
            Key = fullKey,
            ContentType = contentType,
            ServerSideEncryptionMethod = method,
            ServerSideEncryptionKeyManagementServiceKeyId = kmsKey,
        }, cancellationToken).ConfigureAwait(false);
        var running = new List<Task<PartETag>>();
        var done = new List<PartETag>();
        long total = 0;
        try
        {
            for (var number = 1; ; number++)
            {
                var buffer = ArrayPool<byte>.Shared.Rent((int)options.PartSize);
                var length = await source.ReadAsync(buffer.AsMemory(0, (int)options.PartSize), cancellationToken).ConfigureAwait(false);
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                total += length;
                running.Add(UploadPartAsync(fullKey, upload.UploadId, number, buffer, length, cancellationToken));
                if (running.Count >= options.PartConcurrency)
                {
                    var finished = await Task.WhenAny(running).ConfigureAwait(false);
                    running.Remove(finished);
                    done.Add(await finished.ConfigureAwait(false));
                }
            }

            done.AddRange(await Task.WhenAll(running).ConfigureAwait(false));
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = fullKey,
                UploadId = upload.UploadId,
                PartETags = [.. done.OrderBy(p => p.PartNumber)],
            }, cancellationToken).ConfigureAwait(false);
            return total;
        }
        catch
        {
            // Let the parts already sent finish before the abort, or they could land after it and stay behind.
            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Their failures are the same failure, or a consequence of it.
            }

            await AbortAsync(fullKey, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Aborts a multipart upload so its parts do not stay (and cost) in the bucket; a store that cannot abort is logged, not
    /// thrown, so the caller sees the failure that stopped the upload.</summary>
    private async Task AbortAsync(string fullKey, string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = fullKey, UploadId = uploadId }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException)
        {
            LogAbortFailed(ex, uploadId, fullKey);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Could not abort multipart upload {UploadId} of {Key}; its parts stay until a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them.")]
    private partial void LogAbortFailed(Exception exception, string uploadId, string key);

    private async Task<PartETag> UploadPartAsync(string fullKey, string uploadId, int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            var response = await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = options.Bucket,
                Key = fullKey,
                UploadId = uploadId,
                PartNumber = number,
                PartSize = length,
                InputStream = body,
                UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
            return new PartETag(number, response.ETag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>The bytes already read into memory, then the rest of the stream.</summary>
    private sealed class Source(ReadOnlyMemory<byte> head, Stream rest)
    {
        private ReadOnlyMemory<byte> head = head;

        /// <summary>Fills <paramref name="part"/> as far as the bytes go; 0 at the end.</summary>
        public async Task<int> ReadAsync(Memory<byte> part, CancellationToken cancellationToken)
        {
            var filled = 0;
            if (!head.IsEmpty)
            {
                var take = Math.Min(head.Length, part.Length);
                head[..take].CopyTo(part);
                head = head[take..];
                filled = take;
            }

            return filled + await ReadFullyAsync(rest, part[filled..], cancellationToken).ConfigureAwait(false);
        }
    }
}
