using System.Globalization;
using ImageSocial.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ImageSocial.Benchmarks;

/// <summary>Loads <see cref="FeedData"/> into a SQLite metadata database straight through SQL: the store creates the schema, then users,
/// follow edges and photos go in by prepared inserts in big transactions with the follower index built afterwards. It bypasses the
/// API's validation, the outbox, the change feed and the title index (their triggers are dropped during the load and recreated after;
/// the loaded photos have empty titles and are not in the change feed) — none of which a feed page reads.</summary>
internal static class FeedSqliteLoader
{
    public static void Load(string path, FeedData set)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
        {
            File.Delete(file);
        }

        // The store creates the schema (every migration).
        using (var store = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = path, DurableCommits = false })))
        {
            store.GetAsync(new PhotoId(1)).GetAwaiter().GetResult();
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Exec(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; PRAGMA foreign_keys = OFF;");
        var triggers = new List<string>();
        using (var list = Command(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'photos'"))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                triggers.Add(reader.GetString(1));
                Exec(connection, $"DROP TRIGGER {reader.GetString(0)}");
            }
        }

        Exec(connection, "DROP INDEX follows_by_followee; DROP INDEX photos_by_owner;");
        Bulk(connection, "users", set.UserIds.Length, "INSERT INTO users(id, handle, display_name, is_private, password_hash) VALUES ($1, $2, '', 0, '')", (cmd, i) =>
        {
            cmd.Parameters[0].Value = set.UserIds[i];
            cmd.Parameters[1].Value = "u" + i.ToString(CultureInfo.InvariantCulture);
        }, 2);

        // Followers in id order and each one's followees in index order: the primary key (follower, followee) is appended to in order.
        var done = 0L;
        using (var transaction = connection.BeginTransaction())
        using (var insert = Command(connection, $"INSERT INTO follows(follower, followee, state) VALUES ($1, $2, {(int)FollowState.Following})", 2))
        {
            insert.Transaction = transaction;
            for (var u = 0; u < set.UserIds.Length; u++)
            {
                insert.Parameters[0].Value = set.UserIds[u];
                foreach (var f in set.Following[u].Select(f => set.UserIds[f]).Order())
                {
                    insert.Parameters[1].Value = f;
                    insert.ExecuteNonQuery();
                }

                done += set.Following[u].Length;
                if (u % 100_000 == 99_999)
                {
                    Console.WriteLine($"  follows: {done:N0} of {set.EdgeCount:N0}");
                }
            }

            transaction.Commit();
        }

        Console.WriteLine("  indexing followers");
        Exec(connection, "CREATE INDEX follows_by_followee ON follows(followee, state, follower)");
        Bulk(connection, "photos", set.Photos.Length, """
            INSERT OR IGNORE INTO photos(id, owner_id, title, tags, visibility, owner_private, format, width, height, orientation, frames, rendition_type, original_bytes)
            VALUES ($1, $2, '', '', $3, 0, 'jpeg', 1600, 1200, 1, 1, 'image/webp', 100000)
            """, (cmd, i) =>
        {
            cmd.Parameters[0].Value = set.Photos[i].Id;
            cmd.Parameters[1].Value = set.UserIds[set.Photos[i].Owner];
            cmd.Parameters[2].Value = set.Photos[i].Visibility;
        }, 3);
        Console.WriteLine("  indexing photos by owner");
        Exec(connection, "CREATE INDEX photos_by_owner ON photos(owner_id, id)");
        foreach (var trigger in triggers)
        {
            Exec(connection, trigger);
        }

        Exec(connection, "ANALYZE");
    }

    /// <summary>Empties the timelines, activity marks and pulled authors of an earlier run.</summary>
    public static void ResetTimelines(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Exec(connection, "DELETE FROM timelines; DELETE FROM feed_activity; DELETE FROM feed_pulled;");
    }

    /// <summary>The bytes of the database's pages in use (page count less free pages): what a timeline build adds shows as the difference.</summary>
    public static long TimelineBytes(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = Command(connection, "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())");
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(0) * reader.GetInt64(1);
    }

    private static void Bulk(SqliteConnection connection, string what, int count, string sql, Action<SqliteCommand, int> bind, int parameters)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = Command(connection, sql, parameters);
        insert.Transaction = transaction;
        for (var i = 0; i < count; i++)
        {
            bind(insert, i);
            insert.ExecuteNonQuery();
            if (i % 1_000_000 == 999_999)
            {
                Console.WriteLine($"  {what}: {i + 1:N0} of {count:N0}");
            }
        }

        transaction.Commit();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, int parameters = 0)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), 0L));
        }

        return command;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }
}
