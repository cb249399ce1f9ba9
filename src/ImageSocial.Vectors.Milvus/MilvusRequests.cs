using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageSocial.Vectors.Milvus;

// The bodies of Milvus's REST API v2 (/v2/vectordb/...), named as its reference names them; null members are left out.

/// <summary>A request naming a collection (has, describe, load, drop).</summary>
internal sealed record CollectionRequest(string CollectionName, string? DbName);

/// <summary><c>collections/create</c> with its schema and indexes, so the collection is loaded once created.</summary>
internal sealed record CreateCollectionRequest(string CollectionName, string? DbName, CollectionSchema Schema, IReadOnlyList<IndexParameters> IndexParams,
    IReadOnlyDictionary<string, string> Params);

internal sealed record CollectionSchema(bool AutoId, bool EnableDynamicField, IReadOnlyList<FieldSchema> Fields);

internal sealed record FieldSchema(string FieldName, string DataType, bool? IsPrimary = null, string? ElementDataType = null,
    IReadOnlyDictionary<string, string>? ElementTypeParams = null);

internal sealed record IndexParameters(string FieldName, string IndexName, string IndexType, string? MetricType = null,
    IReadOnlyDictionary<string, string>? Params = null);

/// <summary>A stored entity: the record's id, vector and payload fields.</summary>
internal sealed record MilvusEntity(
    [property: JsonPropertyName(MilvusFields.Id)] long Id,
    [property: JsonPropertyName(MilvusFields.Vector)] float[] Vector,
    [property: JsonPropertyName(MilvusFields.Owner)] long Owner,
    [property: JsonPropertyName(MilvusFields.Visibility)] int Visibility,
    [property: JsonPropertyName(MilvusFields.OwnerPrivate)] bool OwnerPrivate,
    [property: JsonPropertyName(MilvusFields.CreatedAt)] long CreatedAt,
    [property: JsonPropertyName(MilvusFields.Tags)] IReadOnlyList<string> Tags);

internal sealed record UpsertRequest(string CollectionName, string? DbName, IReadOnlyList<MilvusEntity> Data);

internal sealed record DeleteRequest(string CollectionName, string? DbName, string Filter);

internal sealed record GetRequest(string CollectionName, string? DbName, IReadOnlyList<long> Id, IReadOnlyList<string> OutputFields, string ConsistencyLevel);

internal sealed record QueryRequest(string CollectionName, string? DbName, string Filter, IReadOnlyList<string> OutputFields, string ConsistencyLevel, int? Limit = null);

internal sealed record SearchRequest(string CollectionName, string? DbName, IReadOnlyList<float[]> Data, string AnnsField, string? Filter, int Limit,
    IReadOnlyList<string> OutputFields, SearchParameters SearchParams, string ConsistencyLevel);

internal sealed record SearchParameters(string MetricType, IReadOnlyDictionary<string, int> Params);

/// <summary>Every answer: <c>code</c> 0 and <c>data</c>, or a non-zero code and a message.</summary>
internal sealed record MilvusResponse(int Code, string? Message, JsonElement Data);

/// <summary>A search hit.</summary>
internal sealed record SearchHit([property: JsonPropertyName(MilvusFields.Id)] long Id, float Distance);

/// <summary>The checkpoint collection's entity.</summary>
internal sealed record CheckpointEntity(string Name, string Position, float[] Vector);

internal sealed record CheckpointUpsertRequest(string CollectionName, string? DbName, IReadOnlyList<CheckpointEntity> Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CollectionRequest))]
[JsonSerializable(typeof(CreateCollectionRequest))]
[JsonSerializable(typeof(UpsertRequest))]
[JsonSerializable(typeof(DeleteRequest))]
[JsonSerializable(typeof(GetRequest))]
[JsonSerializable(typeof(QueryRequest))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(CheckpointUpsertRequest))]
[JsonSerializable(typeof(MilvusResponse))]
[JsonSerializable(typeof(List<MilvusEntity>))]
[JsonSerializable(typeof(List<SearchHit>))]
[JsonSerializable(typeof(List<CheckpointEntity>))]
internal sealed partial class MilvusJson : JsonSerializerContext;
