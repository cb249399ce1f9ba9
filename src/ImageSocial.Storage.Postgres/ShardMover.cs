using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>Moves a logical shard to another server online: copy while it stays readable and writable, fence its writes, copy what
/// changed, verify row counts and checksums, flip the versioned map, drop the old copy.</summary>
/// <remarks>
/// <para>Writers meet the fence as a transient error that the store retries with backoff, so a move shorter than the retry budget
/// (<see cref="PostgresStoreOptions.MaxRetries"/>) is invisible to callers beyond latency. Reads go on from the old copy until
/// the flip, then from the new one; a process holding the old map finds the old schema gone, reloads the map and retries.</para>
/// <para>Crash safety: the fence is committed before the flip, so an interrupted move leaves the shard readable but not writable on
/// its old server, never writable in two places. Running the same move again finishes it; leftovers of an aborted copy are
/// dropped first.</para>
/// </remarks>
public sealed class ShardMover(PostgresMetadataStore store, ILogger? logger = null)
{

    /// <summary>Moves <paramref name="shard"/> to <paramref name="target"/>.</summary>
    /// <param name="shard">The logical shard.</param>
    /// <param name="target">One of the configured server names.</param>
    /// <param name="progress">Receives a line per step.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests; a cancelled move
    /// before the flip lifts the fence and leaves the shard where it was.</param>
    /// <exception cref="ValidationException">Unknown shard or server, or the shard is already there.</exception>
    /// <exception cref="ConflictException">The copies differ after the fenced copy, or the map changed meanwhile; nothing moved.</exception>
    public async Task<ShardMoveReport> MoveAsync(int shard, string target, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var cluster = store.Cluster;
        cluster.EnsureProvisioned();
        if (!cluster.IsShard(shard))
        {
            throw new ValidationException($"Logical shard {shard} is outside 0..{cluster.ShardCount - 1}.") { ParameterName = nameof(shard) };
        }

        var to = cluster.Endpoint(target);
        void Say(string line)
        {
            progress?.Report(line);
            logger?.LogInformation("Shard {Shard}: {Step}", shard, line);
        }

        var total = Stopwatch.StartNew();
        cluster.Map.Refresh();
        var version = cluster.Map.Version;
        var from = cluster.Endpoint(cluster.Map.GetServer(shard));
        await DropStrayCopiesAsync(shard, from, Say, cancellationToken).ConfigureAwait(false);
        if (from == to)
        {
            throw new ValidationException($"Logical shard {shard} is already on '{target}'.") { ParameterName = nameof(target) };
        }

        var schema = PgSchema.SchemaName(shard);
        var source = await from.Primary.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var sourceScope = source.ConfigureAwait(false);
        var destination = await to.Primary.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var destinationScope = destination.ConfigureAwait(false);
        await Sql.ExecuteAsync(destination, null, Sql.For(PgSchema.Shard, schema) + $";\nINSERT INTO imagesocial.shards(shard, writable, serving) VALUES ({shard}, false, false)", cancellationToken).ConfigureAwait(false);

        Say($"copying from '{from.Name}' to '{to.Name}' while it stays writable");
        // One snapshot for every table, so that children never arrive without their parents.
        var snapshot = await source.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using (snapshot.ConfigureAwait(false))
        {
            foreach (var table in Tables(shard))
            {
                await CopyAsync(source, destination, table, cancellationToken).ConfigureAwait(false);
            }

            await snapshot.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        Say("fencing writes");
        var block = Stopwatch.StartNew();
        await SetStateAsync(source, shard, writable: false, serving: true, cancellationToken).ConfigureAwait(false);
        try
        {
            var copies = new List<TableCopy>();
            foreach (var table in Tables(shard))
            {
                var (before, after) = (await ChecksumAsync(source, table, cancellationToken).ConfigureAwait(false), await ChecksumAsync(destination, table, cancellationToken).ConfigureAwait(false));
                if (before != after)
                {
                    await ClearAsync(destination, table, cancellationToken).ConfigureAwait(false);
                    await CopyAsync(source, destination, table, cancellationToken).ConfigureAwait(false);
                    after = await ChecksumAsync(destination, table, cancellationToken).ConfigureAwait(false);
                }

                if (before != after)
                {
                    throw new ConflictException($"Table {table.Name} of shard {shard} differs after copying ({before.Rows} rows → {after.Rows}); the move was abandoned.");
                }

                copies.Add(new TableCopy(table.Name, before.Rows, before.Sum));
            }

            Say($"verified {copies.Sum(c => c.Rows)} rows in {copies.Count} tables; flipping the map");
            // Both copies are identical while fenced, so reads across users may switch from one to the other in any order.
            await SetStateAsync(destination, shard, writable: true, serving: true, CancellationToken.None).ConfigureAwait(false);
            await SetStateAsync(source, shard, writable: false, serving: false, CancellationToken.None).ConfigureAwait(false);
            var newVersion = cluster.Map.Assign(shard, to.Name, version);
            block.Stop();

            Say($"map at version {newVersion}; dropping the copy on '{from.Name}'");
            // Readers with the old map may still hold the old tables; a deadlock with one of them is retried.
            await cluster.RetryAsync("DropShardCopy", async () =>
            {
                await DropCopyAsync(source, shard, CancellationToken.None).ConfigureAwait(false);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
            return new ShardMoveReport(shard, from.Name, to.Name, newVersion, copies, block.Elapsed, total.Elapsed);
        }
        catch when (cluster.Map.GetServer(shard) == from.Name)
        {
            // Not flipped: the shard stays where it was, writable again; the partial copy goes.
            await SetStateAsync(source, shard, writable: true, serving: true, CancellationToken.None).ConfigureAwait(false);
            await DropCopyAsync(destination, shard, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task DropStrayCopiesAsync(int shard, ServerEndpoint owner, Action<string> say, CancellationToken cancellationToken)
    {
        foreach (var server in store.Cluster.Servers.Where(s => s != owner))
        {
            var connection = await server.Primary.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            if (await Sql.ScalarAsync(connection, null, "SELECT writable FROM imagesocial.shards WHERE shard = $1", cancellationToken, shard).ConfigureAwait(false) is bool writable)
            {
                if (writable)
                {
                    throw new ConflictException($"Server '{server.Name}' holds a writable copy of shard {shard} that the map does not point to; resolve it by hand.");
                }

                say($"dropping the leftover copy on '{server.Name}' from an interrupted move");
                await DropCopyAsync(connection, shard, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static IEnumerable<MovedTable> Tables(int shard) =>
        PgSchema.ShardTables.Select(t => new MovedTable(t, $"{PgSchema.SchemaName(shard)}.{t}", PgSchema.KeyOf(t), null))
            .Concat(PgSchema.ServerIndexes.Select(x => new MovedTable(x.Table, $"imagesocial.{x.Table}", x.Key, shard)));

    private static async Task CopyAsync(NpgsqlConnection source, NpgsqlConnection destination, MovedTable table, CancellationToken ct)
    {
        var reader = await source.BeginRawBinaryCopyAsync($"COPY {table.Source} TO STDOUT (FORMAT BINARY)", ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var writer = await destination.BeginRawBinaryCopyAsync($"COPY {table.Target} FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                await reader.CopyToAsync(writer, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task<(long Rows, string Sum)> ChecksumAsync(NpgsqlConnection connection, MovedTable table, CancellationToken ct)
    {
        var rows = await Sql.QueryAsync(connection, null, r => (r.GetInt64(0), r.GetString(1)),
            $"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY {table.Key})), '') FROM {table.Rows}", ct).ConfigureAwait(false);
        return rows[0];
    }

    private static Task ClearAsync(NpgsqlConnection connection, MovedTable table, CancellationToken ct) =>
        Sql.ExecuteAsync(connection, null, table.Clear, ct);

    private static Task SetStateAsync(NpgsqlConnection connection, int shard, bool writable, bool serving, CancellationToken ct) =>
        // The row lock waits for writers inside their fence to commit; later ones see the new value.
        Sql.ExecuteAsync(connection, null, "UPDATE imagesocial.shards SET writable = $2, serving = $3 WHERE shard = $1", ct, shard, writable, serving);

    private static Task DropCopyAsync(NpgsqlConnection connection, int shard, CancellationToken ct) =>
        Sql.ExecuteAsync(connection, null, $"DROP SCHEMA IF EXISTS {PgSchema.SchemaName(shard)} CASCADE;\n" +
            string.Concat(PgSchema.ServerIndexes.Select(x => $"DELETE FROM imagesocial.{x.Table} WHERE shard = {shard};\n")) +
            $"DELETE FROM imagesocial.shards WHERE shard = {shard};", ct);

    /// <summary>One table to move: a whole table of the shard's schema, or the shard's slice (<paramref name="SliceOf"/>) of a server index.</summary>
    private sealed record MovedTable(string Name, string Target, string Key, int? SliceOf)
    {
        /// <summary>What <c>COPY … TO</c> reads.</summary>
        public string Source => SliceOf is { } s ? $"(SELECT * FROM {Target} WHERE shard = {s})" : Target;

        /// <summary>The rows as <c>t</c>, for checksums.</summary>
        public string Rows => SliceOf is { } s ? $"{Target} t WHERE t.shard = {s}" : $"{Target} t";

        /// <summary>Empties the destination's copy before it is copied again.</summary>
        public string Clear => SliceOf is { } s ? $"DELETE FROM {Target} WHERE shard = {s}" : $"TRUNCATE {Target} CASCADE";
    }
}
