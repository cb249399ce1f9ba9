using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <remarks>A backup is one <c>pg_dump</c> (custom format) per server, named after the server, each taken in a snapshot exported by a
/// transaction that also counts the rows, so the manifest's counts are of the dumped data. Each server's dump is consistent on its own;
/// there is no snapshot across servers (a follow edge written between two servers' dumps may be in one and not the other, as after a
/// crash between its two writes). A restore runs <c>pg_restore --clean</c> per server, in one transaction each, into servers of the
/// same names.</remarks>
public sealed partial class PostgresMetadataStore : IMetadataBackup
{
    /// <inheritdoc />
    public async Task<MetadataSnapshot> BackupMetadataAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var files = new List<string>();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var server in settings.Servers)
        {
            var file = DumpName(server);
            var connection = new NpgsqlConnection(server.ConnectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var snapshot = (string)(await Sql.ScalarAsync(connection, transaction, "SELECT pg_export_snapshot()", cancellationToken).ConfigureAwait(false))!;
                    foreach (var (kind, count) in await CountRowsAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
                    {
                        counts[kind] = counts.GetValueOrDefault(kind) + count;
                    }

                    await RunClientAsync("pg_dump", server, ["--format=custom", "--no-owner", "--no-privileges", $"--snapshot={snapshot}", $"--file={Path.Combine(directory, file)}"],
                        cancellationToken).ConfigureAwait(false);
                }
            }

            files.Add(file);
        }

        return new MetadataSnapshot(PostgresCluster.Provider, files, counts);
    }

    /// <inheritdoc />
    public async Task<bool> IsMetadataEmptyAsync(CancellationToken cancellationToken = default)
    {
        foreach (var server in settings.Servers)
        {
            var connection = new NpgsqlConnection(server.ConnectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                if ((await CountRowsAsync(connection, null, cancellationToken).ConfigureAwait(false)).GetValueOrDefault("users") > 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc />
    /// <remarks>Hosts must be stopped and started again afterwards: their pooled connections and shard maps describe what was replaced.</remarks>
    public async Task RestoreMetadataAsync(string directory, MetadataSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Provider != PostgresCluster.Provider)
        {
            throw new ValidationException($"The backup's metadata was written by '{snapshot.Provider}'; this deployment's metadata is on PostgreSQL.");
        }

        var missing = settings.Servers.Where(s => !snapshot.Files.Contains(DumpName(s))).Select(s => s.Name).ToList();
        if (missing.Count > 0 || snapshot.Files.Count != settings.Servers.Count)
        {
            throw new ValidationException($"The backup holds the servers {string.Join(", ", snapshot.Files.Select(Path.GetFileNameWithoutExtension))}; this deployment names " +
                $"{string.Join(", ", settings.Servers.Select(s => s.Name))}. Restore into servers of the same names.");
        }

        foreach (var server in settings.Servers)
        {
            await RunClientAsync("pg_restore", server, ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                Path.Combine(directory, DumpName(server))], cancellationToken).ConfigureAwait(false);
        }
    }

    private static string DumpName(PostgresServerOptions server) =>
        server.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !server.Name.StartsWith('.')
            ? server.Name + ".dump"
            : throw new ValidationException($"Server name '{server.Name}' cannot name a dump file: use letters, digits, '-', '_' or '.'.");

    /// <summary>Rows by kind on one server (zero before its schemas exist).</summary>
    private static async Task<Dictionary<string, long>> CountRowsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal) { ["users"] = 0, ["photos"] = 0, ["livePhotos"] = 0, ["embeddings"] = 0, ["follows"] = 0, ["likes"] = 0, ["comments"] = 0 };
        var shards = await Sql.QueryAsync(connection, transaction, r => r.GetString(0), """
            SELECT n.nspname FROM pg_namespace n WHERE n.nspname LIKE 'shard\_%'
                AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'users')
                AND EXISTS (SELECT 1 FROM pg_namespace i WHERE i.nspname = 'imagesocial')
            ORDER BY 1
            """, cancellationToken).ConfigureAwait(false);
        if (shards.Count == 0)
        {
            return counts;
        }

        string Sum(string table) => string.Join(" + ", shards.Select(s => $"(SELECT count(*) FROM {s}.{table})"));
        var row = (await Sql.QueryAsync(connection, transaction, r => Enumerable.Range(0, 7).Select(r.GetInt64).ToArray(), $"""
            SELECT {Sum("users")}, (SELECT count(*) FROM imagesocial.photo_index), (SELECT count(*) FROM imagesocial.photo_index WHERE deleted_at IS NULL),
                (SELECT count(*) FROM imagesocial.embeddings), (SELECT count(*) FROM imagesocial.follower_index), {Sum("likes")}, {Sum("comments")}
            """, cancellationToken).ConfigureAwait(false))[0];
        var kinds = new[] { "users", "photos", "livePhotos", "embeddings", "follows", "likes", "comments" };
        for (var i = 0; i < kinds.Length; i++)
        {
            counts[kinds[i]] = row[i];
        }

        return counts;
    }

    /// <summary>Runs a PostgreSQL client program against one server; the connection's details go in the environment, not the command line.</summary>
    private async Task RunClientAsync(string program, PostgresServerOptions server, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        var info = new ProcessStartInfo(settings.ClientToolsDirectory is { } folder ? Path.Combine(folder, program) : program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add($"--dbname={connection.Database}");
        info.Environment["PGHOST"] = connection.Host;
        info.Environment["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture);
        info.Environment["PGUSER"] = connection.Username;
        info.Environment["PGPASSWORD"] = connection.Password;
        info.Environment["PGAPPNAME"] = "imagesocial-backup";
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ImageSocialException($"{program} was not found ({ex.Message}); install PostgreSQL's client programs or set PostgresStoreOptions.ClientToolsDirectory.", ex)
            {
                ProviderName = PostgresCluster.Provider, OperationName = program,
            };
        }

        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await output.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var message = new StringBuilder((await error.ConfigureAwait(false)).Trim());
            throw new ImageSocialException($"{program} failed for server '{server.Name}' (exit {process.ExitCode}): {message}")
            {
                ProviderName = PostgresCluster.Provider, OperationName = program,
            };
        }
    }
}
