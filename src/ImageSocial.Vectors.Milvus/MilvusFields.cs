namespace ImageSocial.Vectors.Milvus;

/// <summary>The fields of a collection's schema; the JSON names of <see cref="MilvusEntity"/> are these.</summary>
internal static class MilvusFields
{
    internal const string Id = "id";
    internal const string Vector = "vector";
    internal const string Owner = "owner";
    internal const string Visibility = "visibility";
    internal const string OwnerPrivate = "owner_private";
    internal const string CreatedAt = "created_at";
    internal const string Tags = "tags";

    /// <summary>Every field a read asks for.</summary>
    internal static readonly string[] All = [Id, Vector, Owner, Visibility, OwnerPrivate, CreatedAt, Tags];
}
