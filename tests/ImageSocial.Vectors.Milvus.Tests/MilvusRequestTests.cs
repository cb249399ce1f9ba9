using System.Text.Json;
using System.Text.Json.Nodes;
using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImageSocial.Vectors.Milvus.Tests;

/// <summary>The REST bodies the provider sends, as serialized by its own request objects, and how it fails with no server (a loopback
/// port nobody listens on).</summary>
public sealed class MilvusRequestTests : IDisposable
{
    private static readonly UserId Alice = new(SnowflakeId.Compose(1, 1, 1));
    private readonly string folder = Directory.CreateTempSubdirectory("imagesocial-milvus-").FullName;

    public void Dispose() => Directory.Delete(folder, true);

    private static JsonNode Json<T>(T request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonNode.Parse(JsonSerializer.Serialize(request, type))!;

    [Fact]
    public void A_new_collection_has_the_schema_the_index_the_options_choose_and_strong_consistency()
    {
        var hnsw = Json(MilvusVectorIndex.CollectionRequest(new MilvusVectorIndexOptions { Database = "photos" }, "imagesocial_x", 512), MilvusJson.Default.CreateCollectionRequest);
        Assert.Equal("imagesocial_x", (string?)hnsw["collectionName"]);
        Assert.Equal("photos", (string?)hnsw["dbName"]);
        Assert.False((bool)hnsw["schema"]!["autoId"]!);
        var fields = hnsw["schema"]!["fields"]!.AsArray();
        Assert.Equal(["id", "vector", "owner", "visibility", "owner_private", "created_at", "tags"], fields.Select(f => (string?)f!["fieldName"]));
        Assert.True((bool)fields[0]!["isPrimary"]!);
        Assert.Equal(("FloatVector", "512"), ((string?)fields[1]!["dataType"], (string?)fields[1]!["elementTypeParams"]!["dim"]));
        Assert.Equal(("Array", "VarChar", "64", "256"), ((string?)fields[6]!["dataType"], (string?)fields[6]!["elementDataType"],
            (string?)fields[6]!["elementTypeParams"]!["max_capacity"], (string?)fields[6]!["elementTypeParams"]!["max_length"]));
        var vector = hnsw["indexParams"]![0]!;
        Assert.Equal(("vector", "HNSW", "COSINE", "16", "200"), ((string?)vector["fieldName"], (string?)vector["indexType"], (string?)vector["metricType"],
            (string?)vector["params"]!["M"], (string?)vector["params"]!["efConstruction"]));
        Assert.Equal(["INVERTED", "INVERTED", "STL_SORT"], hnsw["indexParams"]!.AsArray().Skip(1).Select(i => (string?)i!["indexType"]));
        Assert.Equal("Strong", (string?)hnsw["params"]!["consistencyLevel"]);
        Assert.Null(hnsw["schema"]!["fields"]![2]!["isPrimary"]);

        var ivf = Json(MilvusVectorIndex.CollectionRequest(new MilvusVectorIndexOptions { IndexType = MilvusIndexType.IvfSq8, Metric = VectorMetric.L2 }, "c", 8),
            MilvusJson.Default.CreateCollectionRequest);
        Assert.Equal(("IVF_SQ8", "L2", "1024"), ((string?)ivf["indexParams"]![0]!["indexType"], (string?)ivf["indexParams"]![0]!["metricType"], (string?)ivf["indexParams"]![0]!["params"]!["nlist"]));
        Assert.Null(ivf["dbName"]);
    }

    [Fact]
    public void A_search_sends_one_vector_the_filter_and_the_index_breadth()
    {
        var filter = MilvusExpressions.From(new VectorFilter { Viewer = Alice, Tag = "a\"b" });
        var hnsw = Json(MilvusVectorIndex.SearchRequest(new MilvusVectorIndexOptions { SearchEf = 10 }, "c", new float[] { 0.5f, -1 }, 40, filter), MilvusJson.Default.SearchRequest);
        Assert.Equal([0.5f, -1f], hnsw["data"]![0]!.AsArray().Select(v => (float)v!));
        Assert.Equal(("vector", 40, "COSINE", 40, "Strong"), ((string?)hnsw["annsField"], (int)hnsw["limit"]!, (string?)hnsw["searchParams"]!["metricType"],
            (int)hnsw["searchParams"]!["params"]!["ef"]!, (string?)hnsw["consistencyLevel"]));
        Assert.Equal(filter, (string?)hnsw["filter"]);

        var ivf = Json(MilvusVectorIndex.SearchRequest(new MilvusVectorIndexOptions { IndexType = MilvusIndexType.IvfSq8, Nprobe = 32, Metric = VectorMetric.InnerProduct },
            "c", new float[] { 1 }, 5, null), MilvusJson.Default.SearchRequest);
        Assert.Equal(("IP", 32), ((string?)ivf["searchParams"]!["metricType"], (int)ivf["searchParams"]!["params"]!["nprobe"]!));
        Assert.Null(ivf["filter"]);
    }

    [Fact]
    public void Entities_carry_every_payload_field_under_the_schema_names_and_read_back()
    {
        var entity = new MilvusEntity(long.MaxValue - 7, [1, 2], Alice.Value, 1, true, 1_700_000_000_123, ["sea", "x\"y"]);
        var json = JsonSerializer.Serialize(new UpsertRequest("c", null, [entity]), MilvusJson.Default.UpsertRequest);
        var node = JsonNode.Parse(json)!["data"]![0]!;
        Assert.Equal(["id", "vector", "owner", "visibility", "owner_private", "created_at", "tags"], node.AsObject().Select(p => p.Key));
        Assert.Equal(long.MaxValue - 7, (long)node["id"]!);
        var back = JsonSerializer.Deserialize(JsonNode.Parse(json)!["data"]!.ToJsonString(), MilvusJson.Default.ListMilvusEntity)!.Single();
        Assert.Equal((entity.Id, entity.Owner, entity.Visibility, entity.OwnerPrivate, entity.CreatedAt), (back.Id, back.Owner, back.Visibility, back.OwnerPrivate, back.CreatedAt));
        Assert.Equal(entity.Tags, back.Tags);
        Assert.Equal(entity.Vector, back.Vector);
    }

    [Fact]
    public void The_dimension_is_read_from_a_describe_answer()
    {
        // The shape of Milvus 2.5's collections/describe data (fields with params as key/value pairs).
        var data = JsonDocument.Parse("""
            {"collectionName":"c","fields":[{"name":"id","type":"Int64","primaryKey":true,"params":[]},
             {"name":"vector","type":"FloatVector","params":[{"key":"dim","value":"384"}]}]}
            """).RootElement;
        Assert.Equal(384, MilvusVectorIndex.DimensionOf(data));
        Assert.Throws<MilvusVectorIndexException>(() => MilvusVectorIndex.DimensionOf(JsonDocument.Parse("""{"fields":[]}""").RootElement));
    }

    [Fact]
    public void Collection_names_keep_only_what_Milvus_allows()
    {
        Assert.Equal("imagesocial_resnet18_v1_2", MilvusVectorIndex.CollectionName("imagesocial_", "resnet18-v1.2"));
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_typed_error_and_bad_input_never_leaves_the_process()
    {
        using var index = new MilvusVectorIndex(new MilvusVectorIndexOptions { Endpoint = $"http://127.0.0.1:{LoopbackPorts.Closed()}", Timeout = TimeSpan.FromSeconds(5), MaxTags = 2 }, "c");
        var error = await Assert.ThrowsAsync<MilvusVectorIndexException>(() => index.CountAsync());
        Assert.True(error.IsTransient);
        Assert.Equal("milvus", error.ProviderName);

        VectorRecord Record(float[] vector, params string[] tags) => new(1, vector, new VectorPayload(Alice, Visibility.Public, false, DateTimeOffset.UnixEpoch, tags));
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([Record([float.PositiveInfinity])]));
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([Record([1], "a", "b", "c")]));
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([Record([1], new string('x', 257))]));
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([Record([1], "bad\udc00")]));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.CountAsync(cancelled.Token));
    }

    [Fact]
    public async Task Configuration_selects_a_collection_per_embedding_space_and_a_health_check_that_reports_the_server()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Endpoint"] = $"http://127.0.0.1:{LoopbackPorts.Closed()}", ["IndexType"] = "IvfSq8", ["Timeout"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging().AddHealthChecks();
        services.AddImageSocial().AddEmbeddedDefaults(folder).AddMilvusVectorIndex(configuration);
        await using var provider = services.BuildServiceProvider();

        var index = Assert.IsType<MilvusVectorIndex>(provider.GetRequiredService<IVectorIndex>());
        var space = ProviderServices.EmbeddingSpaceNames.FromModelId(provider.GetRequiredService<IEmbeddingEngine>().ModelId);
        Assert.Equal(MilvusVectorIndex.CollectionName("imagesocial_", space), index.Collection);
        Assert.Equal(MilvusIndexType.IvfSq8, provider.GetRequiredService<IOptions<MilvusVectorIndexOptions>>().Value.IndexType);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == MilvusBuilderExtensions.HealthCheckName);
        Assert.Equal(HealthStatus.Unhealthy, Assert.Single(report.Entries).Value.Status);
    }

    [Theory]
    [InlineData("Endpoint", "milvus:19530")]
    [InlineData("CollectionPrefix", "9starts-with-digit")]
    [InlineData("Timeout", "02:00:00")]
    [InlineData("Nlist", "0")]
    public void Bad_settings_stop_start_up_naming_the_key(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection();
        services.AddImageSocial().AddEmbeddedDefaults(folder).AddMilvusVectorIndex(configuration);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MilvusVectorIndexOptions>>().Value);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
