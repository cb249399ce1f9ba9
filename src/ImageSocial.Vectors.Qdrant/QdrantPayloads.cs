using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;

namespace ImageSocial.Vectors.Qdrant;

/// <summary>The payload fields a point carries (each with a payload index) and their conversion from and to <see cref="VectorPayload"/>.</summary>
internal static class QdrantPayloads
{
    internal const string Owner = "owner";
    internal const string Visibility = "visibility";
    internal const string OwnerPrivate = "owner_private";
    internal const string CreatedAt = "created_at_ms";
    internal const string Tags = "tags";

    /// <summary>The indexed fields and their schema types.</summary>
    internal static readonly (string Field, PayloadSchemaType Type)[] Indexes =
    [
        (Owner, PayloadSchemaType.Integer), (Visibility, PayloadSchemaType.Integer), (OwnerPrivate, PayloadSchemaType.Bool),
        (CreatedAt, PayloadSchemaType.Integer), (Tags, PayloadSchemaType.Keyword),
    ];

    internal static Dictionary<string, Value> ToValues(VectorPayload payload)
    {
        var tags = new ListValue();
        tags.Values.AddRange(payload.Tags.Select(t => new Value { StringValue = t }));
        return new Dictionary<string, Value>
        {
            [Owner] = payload.Owner.Value,
            [Visibility] = (long)payload.Visibility,
            [OwnerPrivate] = payload.OwnerIsPrivate,
            [CreatedAt] = payload.CreatedAt.ToUnixTimeMilliseconds(),
            [Tags] = new Value { ListValue = tags },
        };
    }

    internal static VectorPayload FromValues(MapField<string, Value> values) => new(
        new UserId(values[Owner].IntegerValue),
        (ImageSocial.Visibility)values[Visibility].IntegerValue,
        values[OwnerPrivate].BoolValue,
        DateTimeOffset.FromUnixTimeMilliseconds(values[CreatedAt].IntegerValue),
        values.TryGetValue(Tags, out var tags) ? tags.ListValue?.Values.Select(v => v.StringValue).ToArray() ?? [] : []);
}
