using ImageSocial.ConformanceTests;
using ImageSocial.Vectors.Milvus;
using ImageSocial.Vectors.Qdrant;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Tests;

/// <summary>Moving a deployment's similar search to Qdrant or Milvus: <c>vectors rebuild</c> with <c>ImageSocial:Providers:Vectors</c>
/// replays the stored embeddings into the server's collection. Without a server, the command must name the provider it could not
/// reach; with one (IMAGESOCIAL_TEST_QDRANT / IMAGESOCIAL_TEST_MILVUS), the moved index serves the SDK's similar search.</summary>
public sealed class VectorMoveTests
{
    [Theory]
    [InlineData("qdrant", "Qdrant")]
    [InlineData("milvus", "Milvus")]
    public async Task Rebuild_into_an_unreachable_server_fails_naming_it(string provider, string section)
    {
        using var folder = new TemporaryDirectory();
        var config = Path.Combine(folder.Path, "appsettings.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"ImageSocial": {"Providers": {"Vectors": "{{{provider}}}"}, "{{{section}}}": {"Endpoint": "http://127.0.0.1:{{{LoopbackPorts.Closed()}}}", "Timeout": "00:00:05" } } }
            """);
        string space;
        using (var host = new TestHost(folder.Path))
        {
            await host.Service.CreateUserAsync("someone", "Someone");
            space = host.Get<IEmbeddingEngine>().ModelId;
        }

        var (code, output, error) = await AdminToolTests.RunAsync("vectors", "rebuild", "--space", space, "--data", folder.Path, "--config", config);
        Assert.True(code == 1, error);
        Assert.Contains($"into {section} at http://127.0.0.1:", output, StringComparison.Ordinal);
        Assert.Contains(section, error, StringComparison.Ordinal);

        await File.WriteAllTextAsync(config, """{"ImageSocial": {"Providers": {"Vectors": "faiss"}}}""");
        (code, _, error) = await AdminToolTests.RunAsync("vectors", "rebuild", "--space", space, "--data", folder.Path, "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("embedded, qdrant, milvus", error, StringComparison.Ordinal);
    }
}

[RequiresServer("IMAGESOCIAL_TEST_QDRANT", "no Qdrant server can run on this machine; see ImageSocial.Vectors.Qdrant's README")]
public sealed class VectorMoveToQdrantTests
{
    [KitFact]
    public async Task An_embedded_deployment_moves_to_Qdrant_by_replaying_its_embeddings()
    {
        var prefix = $"move_{Guid.NewGuid():N}_";
        void Configure(QdrantVectorIndexOptions o) => (o.Endpoint, o.ApiKey, o.CollectionPrefix) =
            (Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_QDRANT")!, Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_QDRANT_API_KEY"), prefix);
        await VectorMoves.MoveAsync("qdrant", $$"""{"Endpoint": "{{Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_QDRANT")}}", "CollectionPrefix": "{{prefix}}"}""",
            b => b.AddQdrantVectorIndex(Configure), index => ((QdrantVectorIndex)index).DropAsync());
    }
}

[RequiresServer("IMAGESOCIAL_TEST_MILVUS", "no Milvus server can run on this machine; see ImageSocial.Vectors.Milvus's README")]
public sealed class VectorMoveToMilvusTests
{
    [KitFact]
    public async Task An_embedded_deployment_moves_to_Milvus_by_replaying_its_embeddings()
    {
        var prefix = $"move_{Guid.NewGuid():N}_";
        var endpoint = Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_MILVUS")!;
        var token = Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_MILVUS_TOKEN");
        await VectorMoves.MoveAsync("milvus", $$"""{"Endpoint": "{{endpoint}}", "Token": "{{token}}", "CollectionPrefix": "{{prefix}}"}""",
            b => b.AddMilvusVectorIndex(o => (o.Endpoint, o.Token, o.CollectionPrefix) = (endpoint, token, prefix)), index => ((MilvusVectorIndex)index).DropAsync());
    }
}

internal static class VectorMoves
{
    /// <summary>Uploads photos on the embedded index, rebuilds into the server with the admin tool, then checks the server's collection
    /// through the SDK: every vector there, similar search answered from it.</summary>
    internal static async Task MoveAsync(string provider, string section, Action<IImageSocialBuilder> server, Func<IVectorIndex, Task> drop)
    {
        using var folder = new TemporaryDirectory();
        var photos = new List<PhotoId>();
        UserId owner;
        string space;
        using (var host = new TestHost(folder.Path))
        {
            owner = (await host.Service.CreateUserAsync("mover", "Mover")).Id;
            for (var i = 0; i < 4; i++)
            {
                photos.Add((await host.Service.For(owner).UploadPhotoAsync(Imaging.Vips.Tests.TestImages.Encode(70 + i, 64), new PhotoDraft($"m{i}"))).Id);
            }

            await host.Jobs.RunDueAsync();
            space = host.Get<IEmbeddingEngine>().ModelId;
        }

        var config = Path.Combine(folder.Path, "move.json");
        var name = char.ToUpperInvariant(provider[0]) + provider[1..];
        await File.WriteAllTextAsync(config, $$$"""{"ImageSocial": {"Providers": {"Vectors": "{{{provider}}}"}, "{{{name}}}": {{{section}}}}}""");
        var (code, output, error) = await AdminToolTests.RunAsync("vectors", "rebuild", "--space", space, "--data", folder.Path, "--config", config);
        Assert.True(code == 0, error);
        Assert.Contains("the index now holds 4", output, StringComparison.Ordinal);

        using var moved = new TestHost(folder.Path, providers: server, configure: o => o.IndexSync.Enabled = false);
        try
        {
            Assert.Equal(4, await moved.Get<IVectorIndex>().CountAsync());
            var similar = await moved.Service.For(owner).FindSimilarAsync(photos[0], 10);
            Assert.Equal(photos.Skip(1).Order(), similar.Select(s => s.Photo.Id).Order());
        }
        finally
        {
            await drop(moved.Get<IVectorIndex>());
        }
    }
}
