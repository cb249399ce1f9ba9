using System.Diagnostics;
using Grpc.Core;
using ImageSocial.Shared.Telemetry;
using ImageSocial.Shared.Vectors;
using Microsoft.Extensions.Logging;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace ImageSocial.Vectors.Qdrant;

/// <summary>An <see cref="IVectorIndex"/> in one Qdrant collection (one per embedding space), reached over gRPC with Qdrant.Client.</summary>
/// <remarks>The collection is created on the first upsert, with the first vector's dimension, the configured metric, optional int8
/// quantization and a payload index on every field filters read. Writes wait until the server has applied them (<c>wait=true</c>), so
/// a search after an acknowledged upsert sees it. With <see cref="VectorMetric.Cosine"/> Qdrant stores vectors normalized, so
/// <see cref="GetAsync"/> returns the unit vector.</remarks>
public sealed partial class QdrantVectorIndex : IVectorIndex, IVectorIndexCheckpoint, IDisposable
{
    internal const string ProviderName = "qdrant";
    private static readonly ActivitySource Source = new("ImageSocial.Vectors.Qdrant", Tracing.VersionOf(typeof(QdrantVectorIndex)));
    private readonly QdrantClient client;
    private readonly QdrantVectorIndexOptions options;
    private readonly RemoteCollection remote;

    /// <summary>Opens the index in <paramref name="collection"/> (created on the first upsert).</summary>
    /// <param name="options">The server and the collections' settings.</param>
    /// <param name="collection">The collection's name (<see cref="QdrantVectorIndexOptions.CollectionPrefix"/> + the embedding space).</param>
    /// <param name="loggerFactory">The client's logging, or <see langword="null"/>.</param>
    public QdrantVectorIndex(QdrantVectorIndexOptions options, string collection, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(collection);
        (this.options, Collection) = (options, collection);
        client = new QdrantClient(new Uri(options.Endpoint), options.ApiKey, options.Timeout, loggerFactory);
        remote = new RemoteCollection(DescribeAsync);
    }

    /// <summary>The collection this index reads and writes.</summary>
    public string Collection { get; }

    /// <summary>The client, for what this type does not wrap (snapshots, cluster operations).</summary>
    public QdrantClient Client => client;

    /// <inheritdoc />
    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var size = VectorChecks.Dimension(records);
        await RunAsync("Upsert", async () =>
        {
            await remote.EnsureAsync(size, CreateCollectionAsync, cancellationToken).ConfigureAwait(false);
            foreach (var batch in records.Chunk(options.UpsertBatchSize))
            {
                await client.UpsertAsync(Collection, batch.Select(ToPoint).ToList(), wait: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> UpdatePayloadAsync(long id, VectorPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return RunAsync("UpdatePayload", async () =>
        {
            if (!await remote.ExistsAsync(cancellationToken).ConfigureAwait(false)
                || (await client.RetrieveAsync(Collection, [(ulong)id], false, false, cancellationToken: cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                return false;
            }

            await client.OverwritePayloadAsync(Collection, QdrantPayloads.ToValues(payload), (ulong)id, wait: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await RunAsync("Delete", async () =>
        {
            if (await remote.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                await client.DeleteAsync(Collection, ids.Select(i => (ulong)i).ToList(), wait: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<VectorRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        RunAsync("Get", async () =>
        {
            if (!await remote.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var points = await client.RetrieveAsync(Collection, [(ulong)id], true, true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return points.Count == 0 ? null : new VectorRecord(id, DenseVector(points[0].Vectors), QdrantPayloads.FromValues(points[0].Payload));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, int k, VectorFilter? filter, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        return RunAsync<IReadOnlyList<VectorMatch>>("Search", async () =>
        {
            if (!await remote.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                return [];
            }

            VectorChecks.Query(query, remote.Dimension);
            var points = await client.QueryAsync(Collection, query: query.ToArray(), filter: QdrantFilters.From(filter), searchParams: SearchParameters(options),
                limit: (ulong)k, payloadSelector: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            return points.Select(p => new VectorMatch((long)p.Id.Num, Score(p.Score))).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        RunAsync("Count", async () =>
            await remote.ExistsAsync(cancellationToken).ConfigureAwait(false)
                ? (long)await client.CountAsync(Collection, exact: true, cancellationToken: cancellationToken).ConfigureAwait(false)
                : 0L, cancellationToken);

    /// <summary>Answers when the server is healthy (the health check's probe).</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        RunAsync("Health", async () => await client.HealthAsync(cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        client.Dispose();
        remote.Dispose();
    }

    /// <summary>The search parameters from the options: the HNSW breadth and, with quantization, rescoring of oversampled candidates.</summary>
    internal static SearchParams? SearchParameters(QdrantVectorIndexOptions options)
    {
        if (options.SearchEf is null && !options.ScalarQuantization)
        {
            return null;
        }

        var parameters = new SearchParams();
        if (options.SearchEf is { } ef)
        {
            parameters.HnswEf = (ulong)ef;
        }

        if (options.ScalarQuantization)
        {
            parameters.Quantization = new QuantizationSearchParams { Rescore = true, Oversampling = options.Oversampling };
        }

        return parameters;
    }

    /// <summary>The collection's settings from the options: size, metric, optional int8 quantization.</summary>
    internal static CreateCollection CollectionRequest(QdrantVectorIndexOptions options, string collection, int size)
    {
        var request = new CreateCollection
        {
            CollectionName = collection,
            VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = (ulong)size, Distance = Distance(options.Metric) } },
        };
        if (options.ScalarQuantization)
        {
            request.QuantizationConfig = new QuantizationConfig { Scalar = new ScalarQuantization { Type = QuantizationType.Int8, Quantile = 0.99f } };
        }

        return request;
    }

    private static Distance Distance(VectorMetric metric) => metric switch
    {
        VectorMetric.Cosine => global::Qdrant.Client.Grpc.Distance.Cosine,
        VectorMetric.L2 => global::Qdrant.Client.Grpc.Distance.Euclid,
        VectorMetric.InnerProduct => global::Qdrant.Client.Grpc.Distance.Dot,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>Qdrant's score in the contract's "higher is more similar": Euclid answers the distance, the contract wants −distance².</summary>
    private float Score(float score) => options.Metric == VectorMetric.L2 ? -(score * score) : score;

    private static PointStruct ToPoint(VectorRecord record)
    {
        var point = new PointStruct { Id = (ulong)record.Id, Vectors = record.Vector.ToArray() };
        point.Payload.Add(QdrantPayloads.ToValues(record.Payload));
        return point;
    }

    /// <summary>The dense vector of a retrieved point: newer servers fill <c>dense</c>, older ones only the deprecated <c>data</c>.</summary>
    private static float[] DenseVector(VectorsOutput vectors)
    {
        if (vectors.Vector.Dense is { Data.Count: > 0 } dense)
        {
            return dense.Data.ToArray();
        }

#pragma warning disable CS0612 // the deprecated field is what older servers send
        return vectors.Vector.Data.ToArray();
#pragma warning restore CS0612
    }
}
