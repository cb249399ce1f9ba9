using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;

namespace ImageSocial.Vectors.Embedded.Tests;

public sealed class EmbeddedVectorIndexConformanceTests : VectorIndexTests, IDisposable
{
    private readonly TemporaryDirectory folder = new();
    private readonly List<EmbeddedVectorIndex> opened = [];

    protected override IVectorIndex CreateIndex() => Reopen();

    protected override IVectorIndex Reopen()
    {
        var index = new EmbeddedVectorIndex(Options.Create(new EmbeddedVectorIndexOptions { LogPath = folder.File("index.log"), DurableWrites = false }));
        opened.Add(index);
        return index;
    }

    public void Dispose()
    {
        opened.ForEach(i => i.Dispose());
        folder.Dispose();
    }
}

public class EmbeddedTestSuiteImplementationTests : TestSuiteImplementationTests
{
    protected override IEnumerable<Type> ProviderTypes => [typeof(EmbeddedVectorIndex)];
}

public sealed class EmbeddedVectorLogTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    [Fact]
    public async Task A_torn_tail_is_cut_off_and_earlier_records_survive()
    {
        var options = Options.Create(new EmbeddedVectorIndexOptions { LogPath = folder.File("v.log"), Metric = VectorMetric.L2 });
        var payload = new VectorPayload(new UserId(1), Visibility.Public, false, DateTimeOffset.UnixEpoch, ["a"]);
        using (var index = new EmbeddedVectorIndex(options))
        {
            await index.UpsertAsync([new VectorRecord(1, new float[] { 1, 2 }, payload), new VectorRecord(2, new float[] { 3, 4 }, payload)]);
        }

        // A crash mid-append leaves half a record.
        await using (var log = new FileStream(folder.File("v.log"), FileMode.Append))
        {
            await log.WriteAsync(new byte[] { 200, 0, 0, 0, 1, 2, 3 });
        }

        using var reopened = new EmbeddedVectorIndex(options);
        Assert.Equal(2, await reopened.CountAsync());
        Assert.Equal(new float[] { 3, 4 }, (await reopened.GetAsync(2))!.Vector.ToArray());
        await reopened.UpsertAsync([new VectorRecord(3, new float[] { 5, 6 }, payload)]);
        Assert.Equal([3L, 2L], (await reopened.SearchAsync(new float[] { 5, 6 }, 2, null)).Select(m => m.Id));
    }

    public void Dispose() => folder.Dispose();
}
