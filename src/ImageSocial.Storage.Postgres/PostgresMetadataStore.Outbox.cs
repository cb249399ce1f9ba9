using ImageSocial.ProviderServices;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <remarks>Each server has its own outbox, written in the same transaction as the change on that server. A message id carries its
/// server's index in the top 16 bits.</remarks>
public sealed partial class PostgresMetadataStore
{
    private const int ServerShift = 47;
    private const string Claimable = "dead_at IS NULL AND due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)";
    private int claimStart;

    /// <inheritdoc />
    public async Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Work about an id goes next to the id's shard; anything else to shard 0's server.
        foreach (var group in messages.GroupBy(m => cluster.IsShard(ShardOf(m.Subject)) ? ShardOf(m.Subject) : 0))
        {
            await cluster.WriteAsync("Enqueue", group.Key, async (c, t, _) =>
            {
                await EnqueueAsync(c, t, group.ToList(), cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        max = Math.Max(1, max);
        var claimed = new List<OutboxMessage>();
        // Start at a different server each call so that one busy server does not starve the others.
        var start = Interlocked.Increment(ref claimStart);
        for (var i = 0; i < cluster.Servers.Count && claimed.Count < max; i++)
        {
            var server = cluster.Servers[(int)((uint)(start + i) % (uint)cluster.Servers.Count)];
            var rows = await cluster.RetryAsync("ClaimOutbox", () => server.RunAsync(false, c => Sql.QueryAsync(c, null, r => ReadClaimed(server, r), $"""
                    UPDATE imagesocial.outbox o SET lease_until = $2, leased_by = $4 FROM (
                        SELECT id FROM imagesocial.outbox WHERE {Claimable} ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) d
                    WHERE o.id = d.id RETURNING {ClaimedColumns}
                    """, cancellationToken, now, leaseUntil, max - claimed.Count, owner), cancellationToken), cancellationToken).ConfigureAwait(false);
            claimed.AddRange(rows.OrderBy(m => m.Id));
        }

        return claimed;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessage>> ClaimByIdAsync(IReadOnlyList<long> ids, string owner, string? handedOverBy, DateTimeOffset now, DateTimeOffset leaseUntil,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var claimed = new List<OutboxMessage>();
        foreach (var (server, locals) in ByServer(ids))
        {
            claimed.AddRange(await cluster.RetryAsync("ClaimOutboxById", () => server.RunAsync(false, c => Sql.QueryAsync(c, null, r => ReadClaimed(server, r), $"""
                UPDATE imagesocial.outbox o SET lease_until = $3, leased_by = $4
                WHERE o.id = ANY($1) AND o.dead_at IS NULL AND o.due_at <= $2
                    AND (o.lease_until IS NULL OR o.lease_until <= $2 OR o.leased_by = $4 OR o.leased_by = $5)
                RETURNING {ClaimedColumns}
                """, cancellationToken, locals, now, leaseUntil, owner, (object?)handedOverBy ?? DBNull.Value), cancellationToken), cancellationToken).ConfigureAwait(false));
        }

        return claimed.OrderBy(m => m.Id).ToList();
    }

    /// <inheritdoc />
    public async Task<int> RenewAsync(IReadOnlyList<long> ids, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var renewed = 0;
        foreach (var (server, locals) in ByServer(ids))
        {
            renewed += await cluster.RetryAsync("RenewOutbox", () => server.RunAsync(false, c => Sql.ExecuteAsync(c, null, """
                UPDATE imagesocial.outbox SET lease_until = $3 WHERE id = ANY($1) AND leased_by = $2 AND lease_until IS NOT NULL AND dead_at IS NULL
                """, cancellationToken, locals, owner, leaseUntil), cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        return renewed;
    }

    /// <inheritdoc />
    public async Task<int> ReleaseAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return (await cluster.EveryServerAsync("ReleaseOutbox", false, async (_, c) => new List<int>
        {
            await Sql.ExecuteAsync(c, null, "UPDATE imagesocial.outbox SET lease_until = NULL, leased_by = NULL WHERE leased_by = $1 AND lease_until IS NOT NULL",
                cancellationToken, owner).ConfigureAwait(false),
        }, cancellationToken).ConfigureAwait(false)).Sum();
    }

    /// <inheritdoc />
    public Task CompleteAsync(long id, CancellationToken cancellationToken = default) =>
        OnOutboxServer("CompleteOutbox", id, "DELETE FROM imagesocial.outbox WHERE id = $1", cancellationToken);

    /// <inheritdoc />
    public Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) =>
        OnOutboxServer("RetryOutbox", id, "UPDATE imagesocial.outbox SET attempts = attempts + 1, due_at = $2, lease_until = NULL, leased_by = NULL, last_error = left($3, 2000) WHERE id = $1",
            cancellationToken, dueAt, error);

    /// <inheritdoc />
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken = default) =>
        (await cluster.EveryServerAsync("CountOutbox", false, async (_, c) =>
            new List<long> { (long)(await Sql.ScalarAsync(c, null, "SELECT count(*) FROM imagesocial.outbox WHERE dead_at IS NULL", cancellationToken).ConfigureAwait(false))! },
            cancellationToken).ConfigureAwait(false)).Sum();

    /// <inheritdoc />
    public Task DeadLetterAsync(long id, DateTimeOffset deadAt, string error, CancellationToken cancellationToken = default) =>
        OnOutboxServer("DeadLetterOutbox", id, "UPDATE imagesocial.outbox SET attempts = attempts + 1, dead_at = $2, lease_until = NULL, leased_by = NULL, last_error = left($3, 2000) WHERE id = $1",
            cancellationToken, deadAt, error);

    /// <inheritdoc />
    public async Task<Page<DeadLetter>> ListDeadLettersAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var after = IdCursor.Decode(page.Cursor) ?? -1;
        var limit = page.EffectiveLimit;
        // Ids carry their server in the top bits, so "after" is one server's local id range, then every server after it.
        var rows = await cluster.EveryServerAsync("ListDeadLetters", false, (server, c) => Sql.QueryAsync(c, null,
            r => new DeadLetter(ReadMessage(server, r), Sql.Text(r, 5) ?? "", r.GetFieldValue<DateTimeOffset>(6)), """
            SELECT id, kind, subject, data, attempts, last_error, dead_at FROM imagesocial.outbox
            WHERE dead_at IS NOT NULL AND id > $1 ORDER BY id LIMIT $2
            """, cancellationToken, LocalAfter(server, after), limit + 1), cancellationToken).ConfigureAwait(false);
        return ToPage(rows.OrderBy(d => d.Message.Id).Take(limit + 1).ToList(), limit, d => d.Message.Id);
    }

    /// <inheritdoc />
    public async Task<bool> RequeueDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        var (server, local) = OutboxServer(id);
        return server is not null && await cluster.RetryAsync("RequeueDeadLetter", () => server.RunAsync(false, c => Sql.ExecuteAsync(c, null, """
            UPDATE imagesocial.outbox SET dead_at = NULL, attempts = 0, due_at = '-infinity', enqueued_at = now(), lease_until = NULL, leased_by = NULL WHERE id = $1 AND dead_at IS NOT NULL
            """, cancellationToken, local), cancellationToken), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<OutboxStats> GetStatsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var perServer = await cluster.EveryServerAsync("OutboxStats", false, (_, c) => Sql.QueryAsync(c, null, r => new OutboxStats(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3),
            Sql.Time(r, 4)), $"""
            SELECT count(*) FILTER (WHERE dead_at IS NULL), count(*) FILTER (WHERE {Claimable}),
                count(*) FILTER (WHERE dead_at IS NULL AND lease_until > $1), count(*) FILTER (WHERE dead_at IS NOT NULL),
                min(greatest(due_at, enqueued_at)) FILTER (WHERE {Claimable})
            FROM imagesocial.outbox
            """, cancellationToken, now), cancellationToken).ConfigureAwait(false);
        return new OutboxStats(perServer.Sum(s => s.Pending), perServer.Sum(s => s.Due), perServer.Sum(s => s.InFlight), perServer.Sum(s => s.DeadLetters),
            perServer.Select(s => s.OldestDueAt).Where(d => d is not null).Min());
    }

    private const string ClaimedColumns = "o.id, o.kind, o.subject, o.data, o.attempts, o.enqueued_at, o.due_at";

    private static OutboxMessage ReadClaimed(ServerEndpoint server, NpgsqlDataReader r)
    {
        var due = r.GetFieldValue<DateTime>(6);
        return ReadMessage(server, r) with
        {
            EnqueuedAt = r.GetFieldValue<DateTimeOffset>(5),
            DueAt = due == DateTime.MinValue ? null : new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)),
        };
    }

    /// <summary>Message ids grouped by the server whose outbox holds them, as that server's local ids; unknown servers are skipped.</summary>
    private IEnumerable<(ServerEndpoint Server, long[] Locals)> ByServer(IReadOnlyList<long> ids) =>
        ids.Select(OutboxServer).Where(s => s.Server is not null).GroupBy(s => s.Server!, s => s.Local).Select(g => (g.Key, g.ToArray()));

    private static OutboxMessage ReadMessage(ServerEndpoint server, NpgsqlDataReader r) =>
        new(((long)server.Index << ServerShift) | r.GetInt64(0), r.GetString(1), r.GetInt64(2), Sql.Text(r, 3), r.GetInt32(4));

    /// <summary>The local id after which a server's rows follow a listing cursor.</summary>
    private static long LocalAfter(ServerEndpoint server, long after)
    {
        var afterServer = after < 0 ? -1 : (int)(after >>> ServerShift);
        return server.Index > afterServer ? 0 : server.Index < afterServer ? long.MaxValue : after & ((1L << ServerShift) - 1);
    }

    private (ServerEndpoint? Server, long Local) OutboxServer(long id)
    {
        var index = (int)(id >>> ServerShift);
        return index < cluster.Servers.Count ? (cluster.Servers[index], id & ((1L << ServerShift) - 1)) : (null, 0);
    }

    private Task OnOutboxServer(string operation, long id, string sql, CancellationToken cancellationToken, params object?[] more)
    {
        var (server, local) = OutboxServer(id);
        if (server is null)
        {
            throw new NotFoundException($"Outbox message {id} does not exist.");
        }

        return cluster.RetryAsync(operation, () => server.RunAsync(false, c => Sql.ExecuteAsync(c, null, sql, cancellationToken, [local, .. more]), cancellationToken), cancellationToken);
    }
}
