using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Sqlite;

/// <summary>A SQLite failure that is not a conflict or a missing reference.</summary>
public sealed class SqliteStoreException(string message, Exception innerException) : ImageSocialException(message, innerException)
{
    /// <inheritdoc />
    public override bool IsTransient => InnerException is SqliteException { SqliteErrorCode: SqliteErrors.Busy or SqliteErrors.Locked } || base.IsTransient;
}
