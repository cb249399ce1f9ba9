using System.Data.Common;
using ImageSocial.Shared.Sql;

namespace ImageSocial.Storage.Sqlite;

/// <summary>How SQLite stores what the shared photo mapper reads: tags as one space-separated text, times as Unix milliseconds.</summary>
internal sealed class SqliteRows : IPhotoRowDialect
{
    // Tags are validated to [letters, digits, '_', '-'], so a space separates them unambiguously.
    public static string JoinTags(IReadOnlyList<string> tags) => string.Join(' ', tags);

    public static IReadOnlyList<string> Tags(DbDataReader reader, int ordinal) => reader.GetString(ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static DateTimeOffset? Time(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
