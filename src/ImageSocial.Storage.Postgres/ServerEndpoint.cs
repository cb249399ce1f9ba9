using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>One physical server: its primary's pool, its replica's pool, and what this process knows of replication progress.</summary>
/// <remarks>The staleness rule: a viewer read goes to the replica only when the replica has replayed every transaction this store
/// instance committed on the primary (compared by WAL position), so a writer always reads its own writes. Writes made by other
/// processes may be seen late by up to the replication lag. A replica that cannot be reached is skipped for a few seconds.</remarks>
internal sealed class ServerEndpoint(string name, int index, NpgsqlDataSource primary, NpgsqlDataSource? replica) : IAsyncDisposable
{
    private static readonly TimeSpan ReplicaPause = TimeSpan.FromSeconds(5);
    private long lastWriteLsn;
    private long replicaLsn;
    private long replicaDownUntil;

    internal string Name { get; } = name;

    internal int Index { get; } = index;

    internal NpgsqlDataSource Primary { get; } = primary;

    internal NpgsqlDataSource? Replica { get; } = replica;

    /// <summary>Records the primary's WAL insert position after a commit (past the commit record even with asynchronous commit) so
    /// that later reads wait for the replica to replay it.</summary>
    internal async Task NoteCommitAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (Replica is null)
        {
            return;
        }

        long lsn;
        try
        {
            var command = new NpgsqlCommand("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint", connection);
            await using var commandScope = command.ConfigureAwait(false);
            lsn = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (NpgsqlException)
        {
            // The write committed, so it must not be retried; without its position, read from the primary for a while instead.
            Volatile.Write(ref replicaDownUntil, Environment.TickCount64 + (long)ReplicaPause.TotalMilliseconds);
            return;
        }

        for (var seen = Volatile.Read(ref lastWriteLsn); lsn > seen; seen = Volatile.Read(ref lastWriteLsn))
        {
            if (Interlocked.CompareExchange(ref lastWriteLsn, lsn, seen) == seen)
            {
                break;
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> on a connection of this server (see <see cref="OpenReadAsync"/>) and gives it back.</summary>
    internal async Task<T> RunAsync<T>(bool replicaAllowed, Func<NpgsqlConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        var connection = await OpenReadAsync(replicaAllowed, cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        return await body(connection).ConfigureAwait(false);
    }

    /// <summary>Opens a connection for a read: the replica when allowed and caught up, else the primary.</summary>
    internal async Task<NpgsqlConnection> OpenReadAsync(bool replicaAllowed, CancellationToken cancellationToken)
    {
        if (replicaAllowed && Replica is not null && Environment.TickCount64 >= Volatile.Read(ref replicaDownUntil))
        {
            var connection = await TryOpenCaughtUpReplicaAsync(cancellationToken).ConfigureAwait(false);
            if (connection is not null)
            {
                return connection;
            }
        }

        return await Primary.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection?> TryOpenCaughtUpReplicaAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await Replica!.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var required = Volatile.Read(ref lastWriteLsn);
            if (Volatile.Read(ref replicaLsn) >= required)
            {
                return connection;
            }

            // Behind as far as we know: ask once, in the connection we would read on.
            var command = new NpgsqlCommand("SELECT coalesce((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, 0)", connection);
            await using var commandScope = command.ConfigureAwait(false);
            var replayed = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            Interlocked.Exchange(ref replicaLsn, Math.Max(replayed, Volatile.Read(ref replicaLsn)));
            if (replayed >= required)
            {
                return connection;
            }
        }
        catch (NpgsqlException)
        {
            Volatile.Write(ref replicaDownUntil, Environment.TickCount64 + (long)ReplicaPause.TotalMilliseconds);
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await Primary.DisposeAsync().ConfigureAwait(false);
        if (Replica is not null)
        {
            await Replica.DisposeAsync().ConfigureAwait(false);
        }
    }
}
