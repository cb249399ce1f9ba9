using System.Text.Json;
using ImageSocial.Shared.Vectors;

namespace ImageSocial.Vectors.Milvus;

/// <summary>An <see cref="IVectorIndex"/> in one Milvus collection (one per embedding space), reached over Milvus's REST API v2.</summary>
/// <remarks>The collection is created on the first upsert with the first vector's dimension, the configured metric and index (HNSW or
/// IVF_SQ8), scalar indexes on the fields filters read, and strong consistency, so a search after an acknowledged upsert sees it.
/// Filters are Milvus expressions in which every string is escaped (<see cref="MilvusExpressions"/>). Milvus has no payload-only update:
/// <see cref="UpdatePayloadAsync"/> reads the vector and upserts the entity again.</remarks>
public sealed partial class MilvusVectorIndex : IVectorIndex, IVectorIndexCheckpoint, IDisposable
{
    private const string Strong = "Strong";
    private readonly MilvusRestClient client;
    private readonly MilvusVectorIndexOptions options;
    private readonly RemoteCollection remote;

    /// <summary>Opens the index in <paramref name="collection"/> (created on the first upsert).</summary>
    /// <param name="options">The server and the collections' settings.</param>
    /// <param name="collection">The collection's name: letters, digits and '_', not starting with a digit.</param>
    public MilvusVectorIndex(MilvusVectorIndexOptions options, string collection)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(collection);
        (this.options, Collection) = (options, collection);
        client = new MilvusRestClient(options);
        remote = new RemoteCollection(DescribeAsync);
    }

    /// <summary>The collection this index reads and writes.</summary>
    public string Collection { get; }

    /// <summary>The collection name for an embedding space: the prefix and the space, every character Milvus does not allow as '_'.</summary>
    /// <param name="prefix">The prefix (<see cref="MilvusVectorIndexOptions.CollectionPrefix"/>).</param>
    /// <param name="space">The embedding space.</param>
    public static string CollectionName(string prefix, string space)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(space);
        return string.Concat((prefix + space).Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_'));
    }

    /// <inheritdoc />
    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var size = VectorChecks.Dimension(records);
        var entities = records.Select(ToEntity).ToList();
        await remote.EnsureAsync(size, CreateCollectionAsync, cancellationToken).ConfigureAwait(false);
        foreach (var batch in entities.Chunk(options.UpsertBatchSize))
        {
            await client.PostAsync("entities/upsert", new UpsertRequest(Collection, options.Database, batch), MilvusJson.Default.UpsertRequest, Collection, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> UpdatePayloadAsync(long id, VectorPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var stored = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return false;
        }

        var entity = ToEntity(stored with { Payload = payload });
        await client.PostAsync("entities/upsert", new UpsertRequest(Collection, options.Database, [entity]), MilvusJson.Default.UpsertRequest, Collection, cancellationToken)
            .ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0 || !await remote.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var batch in ids.Chunk(1000))
        {
            await client.PostAsync("entities/delete", new DeleteRequest(Collection, options.Database, MilvusExpressions.Ids(batch)), MilvusJson.Default.DeleteRequest,
                Collection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<VectorRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        if (!await remote.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var data = await client.PostAsync("entities/get", new GetRequest(Collection, options.Database, [id], MilvusFields.All, Strong), MilvusJson.Default.GetRequest,
            Collection, cancellationToken).ConfigureAwait(false);
        var entity = data.Deserialize(MilvusJson.Default.ListMilvusEntity)?.FirstOrDefault(e => e.Id == id);
        return entity is null
            ? null
            : new VectorRecord(id, entity.Vector, new VectorPayload(new UserId(entity.Owner), (Visibility)entity.Visibility, entity.OwnerPrivate,
                DateTimeOffset.FromUnixTimeMilliseconds(entity.CreatedAt), entity.Tags ?? []));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, int k, VectorFilter? filter, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var expression = MilvusExpressions.From(filter);
        if (!await remote.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        VectorChecks.Query(query, remote.Dimension);
        var data = await client.PostAsync("entities/search", SearchRequest(options, Collection, query, k, expression), MilvusJson.Default.SearchRequest, Collection,
            cancellationToken).ConfigureAwait(false);
        var hits = data.ValueKind == JsonValueKind.Array ? data.Deserialize(MilvusJson.Default.ListSearchHit) ?? [] : [];
        return hits.Select(h => new VectorMatch(h.Id, options.Metric == VectorMetric.L2 ? -h.Distance : h.Distance)).ToList();
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        if (!await remote.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var data = await client.PostAsync("entities/query", new QueryRequest(Collection, options.Database, "", ["count(*)"], Strong), MilvusJson.Default.QueryRequest,
            Collection, cancellationToken).ConfigureAwait(false);
        return data[0].GetProperty("count(*)").GetInt64();
    }

    /// <summary>Answers when the server does (lists the database's collections; the health check's probe).</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        client.PostAsync("collections/list", new CollectionRequest("", options.Database), MilvusJson.Default.CollectionRequest, Collection, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        client.Dispose();
        remote.Dispose();
    }

    /// <summary>The search body: one query vector, the filter, the metric and the index's search breadth.</summary>
    internal static SearchRequest SearchRequest(MilvusVectorIndexOptions options, string collection, ReadOnlyMemory<float> query, int k, string? filter)
    {
        var parameters = options.IndexType == MilvusIndexType.Hnsw
            ? new Dictionary<string, int> { ["ef"] = Math.Max(options.SearchEf, k) }
            : new Dictionary<string, int> { ["nprobe"] = options.Nprobe };
        return new SearchRequest(collection, options.Database, [query.ToArray()], MilvusFields.Vector, filter, k, [MilvusFields.Id],
            new SearchParameters(MetricName(options.Metric), parameters), Strong);
    }

    /// <summary>Milvus's name of a metric. Its L2 is the squared distance, its COSINE and IP are similarities.</summary>
    internal static string MetricName(VectorMetric metric) => metric switch
    {
        VectorMetric.Cosine => "COSINE",
        VectorMetric.L2 => "L2",
        VectorMetric.InnerProduct => "IP",
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    private MilvusEntity ToEntity(VectorRecord record)
    {
        var tags = record.Payload.Tags;
        if (tags.Count > options.MaxTags)
        {
            throw new ValidationException($"A record carries at most {options.MaxTags} tags; {record.Id} has {tags.Count}.") { ParameterName = "records" };
        }

        foreach (var tag in tags)
        {
            if (MilvusExpressions.Utf8Bytes(tag) > options.MaxTagBytes)
            {
                throw new ValidationException($"A tag is at most {options.MaxTagBytes} UTF-8 bytes.") { ParameterName = "records" };
            }
        }

        var payload = record.Payload;
        return new MilvusEntity(record.Id, record.Vector.ToArray(), payload.Owner.Value, (int)payload.Visibility, payload.OwnerIsPrivate,
            payload.CreatedAt.ToUnixTimeMilliseconds(), tags);
    }
}
