namespace ImageSocial.Storage.S3;

/// <summary>How new objects are encrypted at rest by the store.</summary>
public enum S3ServerSideEncryption
{
    /// <summary>No header: the bucket's default encryption applies.</summary>
    None,

    /// <summary>SSE-S3: keys managed by S3 (AES-256).</summary>
    S3,

    /// <summary>SSE-KMS: keys in AWS KMS (<see cref="S3BlobStoreOptions.KmsKeyId"/>).</summary>
    Kms,
}
