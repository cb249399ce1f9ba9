using System.Globalization;
using System.Text.Json;

namespace ImageSocial.Vectors.Milvus;

public sealed partial class MilvusVectorIndex
{
    /// <summary>The companion collection that keeps readers' positions (<see cref="IVectorIndexCheckpoint"/>) on the same server.</summary>
    private string CheckpointCollection => Collection + "__checkpoints";

    /// <inheritdoc />
    public async Task<string?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!await HasAsync(CheckpointCollection, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var data = await client.PostAsync("entities/query", new QueryRequest(CheckpointCollection, options.Database, $"name == {MilvusExpressions.Quote(name)}",
            ["name", "position"], Strong, 1), MilvusJson.Default.QueryRequest, CheckpointCollection, cancellationToken).ConfigureAwait(false);
        return data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0 ? data[0].GetProperty("position").GetString() : null;
    }

    /// <inheritdoc />
    /// <remarks>Every write of this index is acknowledged once the server has it, so any write made before this call is already there.</remarks>
    public async Task SetCheckpointAsync(string name, string position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(position);
        if (!await HasAsync(CheckpointCollection, cancellationToken).ConfigureAwait(false))
        {
            await client.PostAsync("collections/create", CheckpointCollectionRequest(options, CheckpointCollection), MilvusJson.Default.CreateCollectionRequest,
                CheckpointCollection, cancellationToken).ConfigureAwait(false);
        }

        await client.PostAsync("entities/upsert", new CheckpointUpsertRequest(CheckpointCollection, options.Database, [new CheckpointEntity(name, position, [1f, 0f])]),
            MilvusJson.Default.CheckpointUpsertRequest, CheckpointCollection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The collection's schema and indexes: the vector index the options choose, an inverted index on owner and tags, a sorted
    /// one on the creation time; strong consistency.</summary>
    internal static CreateCollectionRequest CollectionRequest(MilvusVectorIndexOptions options, string collection, int size)
    {
        static Dictionary<string, string> Params(params (string Key, int Value)[] values) =>
            values.ToDictionary(v => v.Key, v => v.Value.ToString(CultureInfo.InvariantCulture));
        var fields = new FieldSchema[]
        {
            new(MilvusFields.Id, "Int64", IsPrimary: true),
            new(MilvusFields.Vector, "FloatVector", ElementTypeParams: Params(("dim", size))),
            new(MilvusFields.Owner, "Int64"),
            new(MilvusFields.Visibility, "Int32"),
            new(MilvusFields.OwnerPrivate, "Bool"),
            new(MilvusFields.CreatedAt, "Int64"),
            new(MilvusFields.Tags, "Array", ElementDataType: "VarChar", ElementTypeParams: Params(("max_capacity", options.MaxTags), ("max_length", options.MaxTagBytes))),
        };
        var vectorIndex = options.IndexType == MilvusIndexType.Hnsw
            ? new IndexParameters(MilvusFields.Vector, MilvusFields.Vector, "HNSW", MetricName(options.Metric), Params(("M", options.HnswM), ("efConstruction", options.HnswEfConstruction)))
            : new IndexParameters(MilvusFields.Vector, MilvusFields.Vector, "IVF_SQ8", MetricName(options.Metric), Params(("nlist", options.Nlist)));
        IndexParameters[] indexes =
        [
            vectorIndex,
            new(MilvusFields.Owner, MilvusFields.Owner, "INVERTED"),
            new(MilvusFields.Tags, MilvusFields.Tags, "INVERTED"),
            new(MilvusFields.CreatedAt, MilvusFields.CreatedAt, "STL_SORT"),
        ];
        return new CreateCollectionRequest(collection, options.Database, new CollectionSchema(false, false, fields), indexes,
            new Dictionary<string, string> { ["consistencyLevel"] = Strong });
    }

    private static CreateCollectionRequest CheckpointCollectionRequest(MilvusVectorIndexOptions options, string collection)
    {
        FieldSchema[] fields =
        [
            new("name", "VarChar", IsPrimary: true, ElementTypeParams: new Dictionary<string, string> { ["max_length"] = "256" }),
            new("position", "VarChar", ElementTypeParams: new Dictionary<string, string> { ["max_length"] = "8192" }),
            new("vector", "FloatVector", ElementTypeParams: new Dictionary<string, string> { ["dim"] = "2" }),
        ];
        return new CreateCollectionRequest(collection, options.Database, new CollectionSchema(false, false, fields),
            [new IndexParameters("vector", "vector", "FLAT", "L2")], new Dictionary<string, string> { ["consistencyLevel"] = Strong });
    }

    /// <summary>Drops the collection and its checkpoints (tests, and a deployment that leaves Milvus).</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public async Task DropAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in new[] { Collection, CheckpointCollection })
        {
            if (await HasAsync(name, cancellationToken).ConfigureAwait(false))
            {
                await client.PostAsync("collections/drop", new CollectionRequest(name, options.Database), MilvusJson.Default.CollectionRequest, name, cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        remote.Forget();
    }

    /// <summary>The collection's dimension as the server has it, or <see langword="null"/> when it does not exist.</summary>
    private async Task<int?> DescribeAsync(CancellationToken cancellationToken)
    {
        if (!await HasAsync(Collection, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return DimensionOf(await client.PostAsync("collections/describe", new CollectionRequest(Collection, options.Database), MilvusJson.Default.CollectionRequest,
            Collection, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The vector field's <c>dim</c> in a <c>collections/describe</c> answer.</summary>
    internal static int DimensionOf(JsonElement description)
    {
        foreach (var field in description.GetProperty("fields").EnumerateArray())
        {
            if (field.GetProperty("name").GetString() == MilvusFields.Vector)
            {
                foreach (var parameter in field.GetProperty("params").EnumerateArray())
                {
                    if (parameter.GetProperty("key").GetString() == "dim")
                    {
                        var value = parameter.GetProperty("value");
                        return value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, CultureInfo.InvariantCulture);
                    }
                }
            }
        }

        throw new MilvusVectorIndexException("The collection has no 'vector' field with a dimension; it was not made by this provider.", 0, null);
    }

    private async Task<bool> HasAsync(string collection, CancellationToken cancellationToken)
    {
        var data = await client.PostAsync("collections/has", new CollectionRequest(collection, options.Database), MilvusJson.Default.CollectionRequest, collection,
            cancellationToken).ConfigureAwait(false);
        return data.GetProperty("has").GetBoolean();
    }

    /// <summary>Creates (and so loads) the collection of the first batch's size.</summary>
    private Task CreateCollectionAsync(int size, CancellationToken cancellationToken) =>
        client.PostAsync("collections/create", CollectionRequest(options, Collection, size), MilvusJson.Default.CreateCollectionRequest, Collection, cancellationToken);
}
