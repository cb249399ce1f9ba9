using System.Diagnostics;
using System.Globalization;
using ImageSocial.Shared.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Sqlite;

/// <summary>Every metadata contract on one SQLite database: the embedded default.</summary>
/// <remarks>Thread-safe. WAL mode lets readers run beside the single writer. Writes queue for one writer thread that commits every
/// write waiting at the time in one transaction (each in its own savepoint), so concurrent writers neither contend for the lock nor
/// pay one disk flush each. Visibility is evaluated inside each query (see <see cref="IPhotoStore"/>).</remarks>
public sealed partial class SqliteMetadataStore : IPhotoStore, IUserStore, ISocialGraph, IInteractionStore, IOutbox, IEmbeddingSpaceStore, ITimelineStore, IDisposable
{
    private const string Provider = "sqlite";
    private readonly string connectionString;
    private readonly Lazy<bool> migrated;
    private readonly SqliteWriter writer;

    /// <summary>Creates the store; the schema is created or migrated on first use.</summary>
    /// <param name="options">Where the database lives.</param>
    /// <param name="loggerFactory">Receives the store's logs (category <c>ImageSocial.Storage.Sqlite</c>).</param>
    public SqliteMetadataStore(IOptions<SqliteStoreOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var path = Path.GetFullPath(value.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)value.BusyTimeout.TotalSeconds,
        }.ToString();
        Synchronous = value.DurableCommits ? "FULL" : "NORMAL";
        migrated = new Lazy<bool>(Migrate, LazyThreadSafetyMode.ExecutionAndPublication);
        writer = new SqliteWriter(OpenForWrite);
    }

    private string Synchronous { get; }

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => Schema.Migrations.Length;

    /// <summary>Finishes the queued writes, then closes this store's connections (only this database's pool).</summary>
    public void Dispose()
    {
        writer.Dispose();
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private bool Migrate()
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        var version = Convert.ToInt32(Scalar(connection, null, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > Schema.Migrations.Length)
        {
            throw new ImageSocialException($"The database schema is version {version}; this SDK knows up to {Schema.Migrations.Length}.") { ProviderName = Provider, OperationName = "Migrate" };
        }

        for (var v = version; v < Schema.Migrations.Length; v++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, Schema.Migrations[v]);
            Execute(connection, transaction, $"PRAGMA user_version = {v + 1};");
            transaction.Commit();
        }

        return true;
    }

    /// <summary>A pooled connection for reads (WAL: they never wait for the writer).</summary>
    private SqliteConnection OpenForRead()
    {
        _ = migrated.Value;
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // Reads through a memory map instead of a read() per page: the pages stay in the OS cache either way, and a feed or a batch get
        // touches hundreds of them across a large database. (Per connection; pooled connections keep it, setting it again is a no-op.)
        Execute(connection, null, "PRAGMA mmap_size = 2147418112;");
        return connection;
    }

    /// <summary>The writer's own connection: commits wait for the disk when <see cref="SqliteStoreOptions.DurableCommits"/>.</summary>
    private SqliteConnection OpenForWrite()
    {
        var connection = OpenForRead();
        Execute(connection, null, $"PRAGMA synchronous={Synchronous};");
        return connection;
    }

    /// <summary>Answers when the database can be opened and read (the health check).</summary>
    internal Task PingAsync(CancellationToken cancellationToken) => ReadAsync("Ping", c => Scalar(c, null, "SELECT 1"), cancellationToken);

    /// <summary>Runs a read on a pooled connection.</summary>
    private Task<T> ReadAsync<T>(string operation, Func<SqliteConnection, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var activity = SqliteTelemetry.Start(operation);
        var started = SqliteTelemetry.Started();
        try
        {
            using var connection = OpenForRead();
            return Task.FromResult(body(connection));
        }
        catch (Exception ex)
        {
            var translated = ex is SqliteException sqlite ? Translate(sqlite, operation) : ex;
            SqliteTelemetry.Fail(activity, translated);
            if (translated == ex)
            {
                throw;
            }

            throw translated;
        }
        finally
        {
            SqliteTelemetry.Record(operation, started);
        }
    }

    /// <summary>Runs a write in its own savepoint of the writer's next group commit (see <see cref="SqliteWriter"/>); completes once
    /// that commit is on disk.</summary>
    private async Task<T> WriteAsync<T>(string operation, Func<SqliteConnection, SqliteTransaction, T> body, CancellationToken cancellationToken)
    {
        using var activity = SqliteTelemetry.Start(operation);
        var started = SqliteTelemetry.Started();
        try
        {
            return await writer.WriteAsync(body, ex => ex is SqliteException sqlite ? Translate(sqlite, operation) : ex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SqliteTelemetry.Fail(activity, ex);
            throw;
        }
        finally
        {
            SqliteTelemetry.Record(operation, started);
        }
    }

    private static ImageSocialException Translate(SqliteException ex, string operation) => ex.SqliteExtendedErrorCode switch
    {
        SqliteErrors.ConstraintUnique or SqliteErrors.ConstraintPrimaryKey =>
            StoreErrors.ValueTaken(Provider, operation),
        SqliteErrors.ConstraintForeignKey =>
            StoreErrors.MissingReference(Provider, operation),
        _ => new SqliteStoreException($"SQLite failed in {operation}: {ex.Message}", ex) { ProviderName = Provider, OperationName = operation },
    };

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    internal static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    internal static List<T> Query<T>(SqliteConnection connection, SqliteTransaction? transaction, Func<SqliteDataReader, T> map, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    /// <summary>A JSON array of integers for <c>json_each</c>: one parameter however many ids.</summary>
    internal static string JsonIds(IEnumerable<long> ids) => "[" + string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Makes a page from up to limit+1 rows.</summary>
    internal static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, long> key) => Pages.From(rows, limit, key);
}
