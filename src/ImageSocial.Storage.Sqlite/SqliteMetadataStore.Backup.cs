using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

/// <remarks>Backups use SQLite's online backup API: a consistent copy of the whole file while writers go on (each step copies pages
/// under a read lock; pages a writer changes meanwhile are copied again), and, for a restore, the same API in the other direction.</remarks>
public sealed partial class SqliteMetadataStore : IMetadataBackup
{
    private const string BackupFile = "imagesocial.db";

    /// <inheritdoc />
    public Task<MetadataSnapshot> BackupMetadataAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        cancellationToken.ThrowIfCancellationRequested();
        _ = migrated.Value;
        var target = Path.Combine(directory, BackupFile);
        using (var source = new SqliteConnection(connectionString))
        using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            source.Open();
            copy.Open();
            source.BackupDatabase(copy);
            // A standalone file: no WAL beside it.
            Execute(copy, null, "PRAGMA journal_mode=DELETE;");
        }

        return Task.FromResult(new MetadataSnapshot(Provider, [BackupFile], CountRows(target)));
    }

    /// <inheritdoc />
    public Task<bool> IsMetadataEmptyAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("IsEmpty", c => Scalar(c, null, "SELECT EXISTS (SELECT 1 FROM users)") is 0L, cancellationToken);

    /// <inheritdoc />
    public Task RestoreMetadataAsync(string directory, MetadataSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Provider != Provider)
        {
            throw new ValidationException($"The backup's metadata was written by '{snapshot.Provider}'; this deployment's metadata is on {Provider}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        _ = migrated.Value;
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, BackupFile), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        using (var live = new SqliteConnection(connectionString))
        {
            source.Open();
            live.Open();
            source.BackupDatabase(live);
            Execute(live, null, "PRAGMA journal_mode=WAL;");
        }

        // Pooled connections of this store read the new pages on their next statement; the schema is migrated forward if the backup is older.
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        Migrate();
        return Task.CompletedTask;
    }

    private static Dictionary<string, long> CountRows(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, sql) in new[]
        {
            ("users", "SELECT count(*) FROM users"),
            ("photos", "SELECT count(*) FROM photos"),
            ("livePhotos", "SELECT count(*) FROM photos WHERE deleted_at IS NULL"),
            ("embeddings", "SELECT count(*) FROM embeddings"),
            ("follows", "SELECT count(*) FROM follows"),
            ("likes", "SELECT count(*) FROM likes"),
            ("comments", "SELECT count(*) FROM comments"),
        })
        {
            counts[name] = Convert.ToInt64(Scalar(connection, null, sql), CultureInfo.InvariantCulture);
        }

        return counts;
    }
}
