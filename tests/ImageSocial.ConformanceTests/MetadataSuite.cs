namespace ImageSocial.ConformanceTests;

/// <summary>The base of the metadata suites: a fresh, empty provider per test.</summary>
public abstract class MetadataSuite : IDisposable
{
    private MetadataStores? stores;

    /// <summary>Creates an empty provider.</summary>
    protected abstract MetadataStores CreateStores();

    /// <summary>The provider of this test.</summary>
    protected MetadataStores Stores => stores ??= CreateStores();

    /// <inheritdoc />
    public void Dispose()
    {
        stores?.Dispose();
        GC.SuppressFinalize(this);
    }
}
