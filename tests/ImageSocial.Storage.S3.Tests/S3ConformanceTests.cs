using ImageSocial.ConformanceTests;

namespace ImageSocial.Storage.S3.Tests;

[Collection(S3Collection.Name)]
public sealed class S3BlobStoreConformanceTests(S3Fixture s3) : BlobStoreTests
{
    protected override IBlobStore CreateStore() => s3.NewStoreAsync().GetAwaiter().GetResult();
}

[Collection(S3Collection.Name)]
public sealed class PrefixedS3BlobStoreConformanceTests(S3Fixture s3) : BlobStoreTests
{
    protected override IBlobStore CreateStore() => s3.NewStoreAsync("deployment-a/").GetAwaiter().GetResult();
}

public class S3TestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(S3BlobStore)];
}
