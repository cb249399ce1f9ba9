using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Storage.S3;

/// <summary>Where the bucket is and how objects are written (configuration section <c>ImageSocial:S3</c> in the sample host).</summary>
public sealed class S3BlobStoreOptions
{
    /// <summary>The bucket. Required; it must exist.</summary>
    [Required]
    public string Bucket { get; set; } = "";

    /// <summary>The endpoint of an S3-compatible store (MinIO, Ceph, R2, …), or <see langword="null"/> for Amazon S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The region; with <see cref="ServiceUrl"/>, the region requests are signed for. Default <c>us-east-1</c>.</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>An access key; with <see cref="SecretKey"/>. When both are empty the AWS SDK's standard credential chain is used
    /// (environment, profile, instance or task role).</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret of <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Whether to address the bucket in the path (<c>https://host/bucket/key</c>) rather than the host name; most S3-compatible
    /// stores need it. Default <see langword="false"/>.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>A prefix for every key the SDK writes (<c>photos/</c>), so several deployments or other data can share a bucket.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Server-side encryption of new objects. Default <see cref="S3ServerSideEncryption.None"/> (the bucket's default applies).</summary>
    public S3ServerSideEncryption ServerSideEncryption { get; set; }

    /// <summary>The KMS key (id, ARN or alias) for <see cref="S3ServerSideEncryption.Kms"/>; empty for the account's default S3 key.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Streams longer than this go up in parts (multipart upload), so no more than about this much is ever held in memory.
    /// Default 32 MiB.</summary>
    [Range(5L << 20, 5L << 30)]
    public long MultipartThreshold { get; set; } = 32L << 20;

    /// <summary>The size of each part of a multipart upload (S3's minimum is 5 MiB). Default 16 MiB.</summary>
    [Range(5L << 20, 5L << 30)]
    public long PartSize { get; set; } = 16L << 20;

    /// <summary>How many parts of one upload are sent at once. Default 2.</summary>
    [Range(1, 64)]
    public int PartConcurrency { get; set; } = 2;

    /// <summary>How many times the SDK retries a request that failed transiently (its standard retry mode, with backoff). Default 3.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 3;
}
