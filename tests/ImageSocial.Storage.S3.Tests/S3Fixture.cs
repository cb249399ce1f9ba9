using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.S3.Tests;

/// <summary>One s3rver for the test assembly; each test takes a fresh bucket.</summary>
public sealed class S3Fixture : IDisposable
{
    public S3Server Server { get; } = S3Server.Start();

    /// <summary>Options for a store over a new bucket, with parts small enough that a 12 MiB stream goes up in three.</summary>
    public async Task<S3BlobStoreOptions> NewOptionsAsync(string prefix = "") => new()
    {
        ServiceUrl = Server.ServiceUrl,
        Bucket = await Server.NewBucketAsync(),
        AccessKey = Server.AccessKey,
        SecretKey = Server.SecretKey,
        ForcePathStyle = true,
        Prefix = prefix,
        MultipartThreshold = 5 << 20,
        PartSize = 5 << 20,
    };

    public async Task<S3BlobStore> NewStoreAsync(string prefix = "") => new(Options.Create(await NewOptionsAsync(prefix)));

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Fixture>
{
    public const string Name = "s3";
}
