using ImageSocial.ConformanceTests;
using ImageSocial.Vectors.Qdrant;

namespace ImageSocial.Vectors.Qdrant.Tests;

/// <summary>The vector kit against a real Qdrant server named by <c>IMAGESOCIAL_TEST_QDRANT</c> (its gRPC URL, e.g. http://127.0.0.1:6334;
/// <c>IMAGESOCIAL_TEST_QDRANT_API_KEY</c> when it has one). Each test uses its own collection and drops it afterwards.</summary>
[RequiresServer(Variable, "no Qdrant server can run on this machine; start one (docker run -p 6334:6334 qdrant/qdrant) and set it to http://127.0.0.1:6334")]
public sealed class QdrantConformanceTests : VectorIndexTests, IDisposable
{
    internal const string Variable = "IMAGESOCIAL_TEST_QDRANT";
    private readonly string collection = "imagesocial_test_" + Guid.NewGuid().ToString("N");
    private readonly List<QdrantVectorIndex> opened = [];

    internal static QdrantVectorIndexOptions ServerOptions() => new()
    {
        Endpoint = Environment.GetEnvironmentVariable(Variable) ?? "http://127.0.0.1:6334",
        ApiKey = Environment.GetEnvironmentVariable(Variable + "_API_KEY"),
    };

    protected override IVectorIndex CreateIndex() => Open();

    protected override IVectorIndex Reopen() => Open();

    private QdrantVectorIndex Open()
    {
        var index = new QdrantVectorIndex(ServerOptions(), collection);
        opened.Add(index);
        return index;
    }

    public void Dispose()
    {
        using var cleaner = new QdrantVectorIndex(ServerOptions(), collection);
        cleaner.DropAsync().GetAwaiter().GetResult();
        opened.ForEach(i => i.Dispose());
    }
}

/// <summary>The same kit with int8 scalar quantization and rescoring on.</summary>
[RequiresServer(QdrantConformanceTests.Variable, "no Qdrant server can run on this machine; see QdrantConformanceTests")]
public sealed class QdrantQuantizedConformanceTests : VectorIndexTests, IDisposable
{
    private readonly string collection = "imagesocial_test_q_" + Guid.NewGuid().ToString("N");
    private readonly List<QdrantVectorIndex> opened = [];

    protected override IVectorIndex CreateIndex() => Open();

    protected override IVectorIndex Reopen() => Open();

    private QdrantVectorIndex Open()
    {
        var options = QdrantConformanceTests.ServerOptions();
        options.ScalarQuantization = true;
        var index = new QdrantVectorIndex(options, collection);
        opened.Add(index);
        return index;
    }

    public void Dispose()
    {
        using var cleaner = new QdrantVectorIndex(QdrantConformanceTests.ServerOptions(), collection);
        cleaner.DropAsync().GetAwaiter().GetResult();
        opened.ForEach(i => i.Dispose());
    }
}

public sealed class QdrantSuiteCompletenessTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(QdrantVectorIndex)];

    protected override IReadOnlyDictionary<Type, string> IgnoredSuites => new Dictionary<Type, string>();
}
