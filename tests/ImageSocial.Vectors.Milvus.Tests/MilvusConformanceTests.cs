using ImageSocial.ConformanceTests;
using ImageSocial.Vectors.Milvus;

namespace ImageSocial.Vectors.Milvus.Tests;

/// <summary>The vector kit against a real Milvus server named by <c>IMAGESOCIAL_TEST_MILVUS</c> (its REST URL, e.g. http://127.0.0.1:19530;
/// <c>IMAGESOCIAL_TEST_MILVUS_TOKEN</c> such as <c>root:Milvus</c> when authentication is on), once with HNSW and once with IVF_SQ8.
/// Each test uses its own collection and drops it afterwards.</summary>
[RequiresServer(Variable, "no Milvus server can run on this machine; start one (Milvus standalone, see the package README) and set it to http://127.0.0.1:19530")]
public sealed class MilvusHnswConformanceTests() : MilvusKit(MilvusIndexType.Hnsw)
{
    internal const string Variable = "IMAGESOCIAL_TEST_MILVUS";
}

[RequiresServer(MilvusHnswConformanceTests.Variable, "no Milvus server can run on this machine; see MilvusHnswConformanceTests")]
public sealed class MilvusIvfSq8ConformanceTests() : MilvusKit(MilvusIndexType.IvfSq8);

public abstract class MilvusKit(MilvusIndexType type) : VectorIndexTests, IDisposable
{
    private readonly string collection = "imagesocial_test_" + Guid.NewGuid().ToString("N");
    private readonly List<MilvusVectorIndex> opened = [];

    internal static MilvusVectorIndexOptions ServerOptions(MilvusIndexType type) => new()
    {
        Endpoint = Environment.GetEnvironmentVariable(MilvusHnswConformanceTests.Variable) ?? "http://127.0.0.1:19530",
        Token = Environment.GetEnvironmentVariable(MilvusHnswConformanceTests.Variable + "_TOKEN"),
        IndexType = type,
        Nlist = 16,
        Nprobe = 16,
    };

    protected override IVectorIndex CreateIndex() => Open();

    protected override IVectorIndex Reopen() => Open();

    private MilvusVectorIndex Open()
    {
        var index = new MilvusVectorIndex(ServerOptions(type), collection);
        opened.Add(index);
        return index;
    }

    public void Dispose()
    {
        using var cleaner = new MilvusVectorIndex(ServerOptions(type), collection);
        cleaner.DropAsync().GetAwaiter().GetResult();
        opened.ForEach(i => i.Dispose());
        GC.SuppressFinalize(this);
    }
}

public sealed class MilvusSuiteCompletenessTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(MilvusVectorIndex)];
}
