using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Qdrant.Client.Grpc;

namespace ImageSocial.Vectors.Qdrant.Tests;

/// <summary>What the provider sends (collection settings, search parameters, payloads) and how it fails, with no server: the failure
/// tests use a real gRPC channel to a loopback port nobody listens on.</summary>
public sealed class QdrantSpecificTests : IDisposable
{
    private static readonly UserId Alice = new(SnowflakeId.Compose(1, 1, 1));
    private readonly string folder = Directory.CreateTempSubdirectory("imagesocial-qdrant-").FullName;

    public void Dispose() => Directory.Delete(folder, true);

    [Fact]
    public void A_collection_gets_its_size_metric_and_optional_int8_quantization()
    {
        var plain = QdrantVectorIndex.CollectionRequest(new QdrantVectorIndexOptions(), "c", 512);
        Assert.Equal(("c", 512UL, Distance.Cosine), (plain.CollectionName, plain.VectorsConfig.Params.Size, plain.VectorsConfig.Params.Distance));
        Assert.Null(plain.QuantizationConfig);

        var quantized = QdrantVectorIndex.CollectionRequest(new QdrantVectorIndexOptions { ScalarQuantization = true, Metric = VectorMetric.L2 }, "c", 8);
        Assert.Equal(Distance.Euclid, quantized.VectorsConfig.Params.Distance);
        Assert.Equal(QuantizationType.Int8, quantized.QuantizationConfig.Scalar.Type);
        Assert.Equal(Distance.Dot, QdrantVectorIndex.CollectionRequest(new QdrantVectorIndexOptions { Metric = VectorMetric.InnerProduct }, "c", 8).VectorsConfig.Params.Distance);
    }

    [Fact]
    public void Searches_rescore_oversampled_candidates_only_with_quantization()
    {
        Assert.Null(QdrantVectorIndex.SearchParameters(new QdrantVectorIndexOptions()));
        var parameters = QdrantVectorIndex.SearchParameters(new QdrantVectorIndexOptions { ScalarQuantization = true, Oversampling = 3, SearchEf = 128 })!;
        Assert.Equal((true, 3.0, 128UL), (parameters.Quantization.Rescore, parameters.Quantization.Oversampling, parameters.HnswEf));
    }

    [Fact]
    public void Payloads_round_trip_through_the_point_values()
    {
        var payload = new VectorPayload(Alice, Visibility.Followers, true, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), ["sea", "\"quoted\""]);
        var values = QdrantPayloads.ToValues(payload);
        var point = new PointStruct();
        point.Payload.Add(values);
        var back = QdrantPayloads.FromValues(point.Payload);
        Assert.Equal((payload.Owner, payload.Visibility, payload.OwnerIsPrivate, payload.CreatedAt), (back.Owner, back.Visibility, back.OwnerIsPrivate, back.CreatedAt));
        Assert.Equal(payload.Tags, back.Tags);
        Assert.Equal(QdrantPayloads.Indexes.Select(i => i.Field).Order(), values.Keys.Order());
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_typed_error_and_bad_vectors_never_leave_the_process()
    {
        using var index = new QdrantVectorIndex(new QdrantVectorIndexOptions { Endpoint = $"http://127.0.0.1:{LoopbackPorts.Closed()}", Timeout = TimeSpan.FromSeconds(5) }, "c");
        var error = await Assert.ThrowsAsync<QdrantVectorIndexException>(() => index.CountAsync());
        Assert.True(error.IsTransient);
        Assert.Equal(Grpc.Core.StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("qdrant", error.ProviderName);

        var payload = new VectorPayload(Alice, Visibility.Public, false, DateTimeOffset.UnixEpoch, []);
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([new VectorRecord(1, new float[] { float.NaN }, payload)]));
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([new VectorRecord(1, new float[] { 1, 0 }, payload), new VectorRecord(2, new float[] { 1 }, payload)]));
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([new VectorRecord(-5, new float[] { 1 }, payload)]));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.CountAsync(cancelled.Token));
    }

    [Fact]
    public async Task Configuration_selects_a_collection_per_embedding_space_and_a_health_check_that_reports_the_server()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Endpoint"] = $"http://127.0.0.1:{LoopbackPorts.Closed()}", ["CollectionPrefix"] = "team_a_", ["ScalarQuantization"] = "true", ["Timeout"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging().AddHealthChecks();
        services.AddImageSocial().AddEmbeddedDefaults(folder).AddQdrantVectorIndex(configuration);
        await using var provider = services.BuildServiceProvider();

        var index = Assert.IsType<QdrantVectorIndex>(provider.GetRequiredService<IVectorIndex>());
        var space = ProviderServices.EmbeddingSpaceNames.FromModelId(provider.GetRequiredService<IEmbeddingEngine>().ModelId);
        Assert.Equal("team_a_" + space, index.Collection);
        Assert.True(provider.GetRequiredService<IOptions<QdrantVectorIndexOptions>>().Value.ScalarQuantization);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == QdrantBuilderExtensions.HealthCheckName);
        Assert.Equal(HealthStatus.Unhealthy, Assert.Single(report.Entries).Value.Status);
    }

    [Theory]
    [InlineData("Endpoint", "localhost:6334")]
    [InlineData("CollectionPrefix", "bad/prefix")]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("Oversampling", "0.5")]
    public void Bad_settings_stop_start_up_naming_the_key(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection();
        services.AddImageSocial().AddEmbeddedDefaults(folder).AddQdrantVectorIndex(configuration);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QdrantVectorIndexOptions>>().Value);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
