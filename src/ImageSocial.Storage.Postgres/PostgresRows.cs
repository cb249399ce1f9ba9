using System.Data.Common;
using ImageSocial.Shared.Sql;

namespace ImageSocial.Storage.Postgres;

/// <summary>How PostgreSQL stores what the shared photo mapper reads: tags as <c>text[]</c>, times as <c>timestamptz</c>.</summary>
internal sealed class PostgresRows : IPhotoRowDialect
{
    public static IReadOnlyList<string> Tags(DbDataReader reader, int ordinal) => reader.GetFieldValue<string[]>(ordinal);

    public static DateTimeOffset? Time(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
