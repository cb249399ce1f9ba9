using ImageSocial.ProviderServices;
using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <summary>Milliseconds since 1970 by SQLite's clock, for the time a message was enqueued (due times come from the caller's clock).</summary>
    private const string NowMilliseconds = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

    /// <summary>When a message became due: its retry time, or when it was enqueued.</summary>
    private const string DueSince = "max(due_at, enqueued_at)";

    /// <inheritdoc />
    public Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return WriteAsync("Enqueue", (c, t) =>
        {
            Enqueue(c, t, messages);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync<IReadOnlyList<OutboxMessage>>("ClaimOutbox", (c, t) => Query(c, t, ReadClaimed, $"""
            UPDATE outbox SET lease_until = @until, leased_by = @owner WHERE id IN (
                SELECT id FROM outbox WHERE dead_at IS NULL AND due_at <= @now AND (lease_until IS NULL OR lease_until <= @now) ORDER BY id LIMIT @max)
            RETURNING {ClaimedColumns}
            """, ("@now", now.ToUnixTimeMilliseconds()), ("@until", leaseUntil.ToUnixTimeMilliseconds()), ("@owner", owner), ("@max", Math.Max(1, max)))
            .OrderBy(m => m.Id).ToList(), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxMessage>> ClaimByIdAsync(IReadOnlyList<long> ids, string owner, string? handedOverBy, DateTimeOffset now, DateTimeOffset leaseUntil,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return ids.Count == 0 ? Task.FromResult<IReadOnlyList<OutboxMessage>>([]) : WriteAsync<IReadOnlyList<OutboxMessage>>("ClaimOutboxById", (c, t) => Query(c, t, ReadClaimed, $"""
            UPDATE outbox SET lease_until = @until, leased_by = @owner
            WHERE id IN (SELECT value FROM json_each(@ids)) AND dead_at IS NULL AND due_at <= @now
                AND (lease_until IS NULL OR lease_until <= @now OR leased_by = @owner OR leased_by = @handed)
            RETURNING {ClaimedColumns}
            """, ("@ids", JsonIds(ids)), ("@now", now.ToUnixTimeMilliseconds()), ("@until", leaseUntil.ToUnixTimeMilliseconds()), ("@owner", owner),
            ("@handed", handedOverBy)).OrderBy(m => m.Id).ToList(), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> RenewAsync(IReadOnlyList<long> ids, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return ids.Count == 0 ? Task.FromResult(0) : WriteAsync("RenewOutbox", (c, t) => Execute(c, t,
            "UPDATE outbox SET lease_until = @until WHERE id IN (SELECT value FROM json_each(@ids)) AND leased_by = @owner AND lease_until IS NOT NULL AND dead_at IS NULL",
            ("@ids", JsonIds(ids)), ("@owner", owner), ("@until", leaseUntil.ToUnixTimeMilliseconds())), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> ReleaseAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync("ReleaseOutbox", (c, t) => Execute(c, t,
            "UPDATE outbox SET lease_until = NULL, leased_by = NULL WHERE leased_by = @owner AND lease_until IS NOT NULL", ("@owner", owner)), cancellationToken);
    }

    /// <inheritdoc />
    public Task CompleteAsync(long id, CancellationToken cancellationToken = default) =>
        WriteAsync("CompleteOutbox", (c, t) => Execute(c, t, "DELETE FROM outbox WHERE id = @id", ("@id", id)), cancellationToken);

    /// <inheritdoc />
    public Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) =>
        WriteAsync("RetryOutbox", (c, t) => Execute(c, t,
            "UPDATE outbox SET attempts = attempts + 1, due_at = @due, lease_until = NULL, leased_by = NULL, last_error = substr(@error, 1, 2000) WHERE id = @id",
            ("@id", id), ("@due", dueAt.ToUnixTimeMilliseconds()), ("@error", error)), cancellationToken);

    /// <inheritdoc />
    public Task<long> CountPendingAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("CountOutbox", c => (long)Scalar(c, null, "SELECT count(*) FROM outbox WHERE dead_at IS NULL")!, cancellationToken);

    /// <inheritdoc />
    public Task DeadLetterAsync(long id, DateTimeOffset deadAt, string error, CancellationToken cancellationToken = default) =>
        WriteAsync("DeadLetterOutbox", (c, t) => Execute(c, t,
            "UPDATE outbox SET attempts = attempts + 1, dead_at = @at, lease_until = NULL, leased_by = NULL, last_error = substr(@error, 1, 2000) WHERE id = @id",
            ("@id", id), ("@at", deadAt.ToUnixTimeMilliseconds()), ("@error", error)), cancellationToken);

    /// <inheritdoc />
    public Task<Page<DeadLetter>> ListDeadLettersAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var after = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return ReadAsync("ListDeadLetters", c => ToPage(Query(c, null,
            r => new DeadLetter(ReadMessage(r), r.IsDBNull(5) ? "" : r.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6))),
            "SELECT id, kind, subject, data, attempts, last_error, dead_at FROM outbox WHERE dead_at IS NOT NULL AND (@after IS NULL OR id > @after) ORDER BY id LIMIT @n",
            ("@after", after), ("@n", limit + 1)), limit, d => d.Message.Id), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RequeueDeadLetterAsync(long id, CancellationToken cancellationToken = default) =>
        WriteAsync("RequeueDeadLetter", (c, t) => Execute(c, t,
            $"UPDATE outbox SET dead_at = NULL, attempts = 0, due_at = 0, enqueued_at = {NowMilliseconds}, lease_until = NULL, leased_by = NULL WHERE id = @id AND dead_at IS NOT NULL",
            ("@id", id)) > 0, cancellationToken);

    /// <inheritdoc />
    public Task<OutboxStats> GetStatsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ReadAsync("OutboxStats", c => Query(c, null, r => new OutboxStats(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3),
            r.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))), $"""
            SELECT count(*) FILTER (WHERE dead_at IS NULL),
                count(*) FILTER (WHERE dead_at IS NULL AND due_at <= @now AND (lease_until IS NULL OR lease_until <= @now)),
                count(*) FILTER (WHERE dead_at IS NULL AND lease_until > @now),
                count(*) FILTER (WHERE dead_at IS NOT NULL),
                min({DueSince}) FILTER (WHERE dead_at IS NULL AND due_at <= @now AND (lease_until IS NULL OR lease_until <= @now))
            FROM outbox
            """, ("@now", now.ToUnixTimeMilliseconds())).First(), cancellationToken);

    private const string ClaimedColumns = "id, kind, subject, data, attempts, enqueued_at, due_at";

    private static OutboxMessage ReadClaimed(SqliteDataReader r) => ReadMessage(r) with
    {
        EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        DueAt = r.GetInt64(6) > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)) : null,
    };

    private static OutboxMessage ReadMessage(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetInt32(4));

    private static void Enqueue(SqliteConnection c, SqliteTransaction t, IReadOnlyList<OutboxMessage> messages)
    {
        foreach (var message in messages)
        {
            Execute(c, t, $"INSERT INTO outbox(kind, subject, data, due_at, enqueued_at) VALUES (@kind, @subject, @data, @due, {NowMilliseconds})",
                ("@kind", message.Kind), ("@subject", message.Subject), ("@data", message.Data), ("@due", message.DueAt?.ToUnixTimeMilliseconds() ?? 0));
        }
    }
}
