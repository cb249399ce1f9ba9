using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
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
    public Task<IReadOnlyList<OutboxMessage>> ClaimAsync(int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<OutboxMessage>>("ClaimOutbox", (c, t) =>
        {
            var due = Query(c, t, r => new OutboxMessage(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetInt32(4)),
                "SELECT id, kind, subject, data, attempts FROM outbox WHERE due_at <= @now AND (lease_until IS NULL OR lease_until <= @now) ORDER BY id LIMIT @max",
                ("@now", now.ToUnixTimeMilliseconds()), ("@max", Math.Max(1, max)));
            foreach (var message in due)
            {
                Execute(c, t, "UPDATE outbox SET lease_until = @until WHERE id = @id", ("@until", leaseUntil.ToUnixTimeMilliseconds()), ("@id", message.Id));
            }

            return due;
        }, cancellationToken);

    /// <inheritdoc />
    public Task CompleteAsync(long id, CancellationToken cancellationToken = default) =>
        WriteAsync("CompleteOutbox", (c, t) => Execute(c, t, "DELETE FROM outbox WHERE id = @id", ("@id", id)), cancellationToken);

    /// <inheritdoc />
    public Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) =>
        WriteAsync("RetryOutbox", (c, t) => Execute(c, t,
            "UPDATE outbox SET attempts = attempts + 1, due_at = @due, lease_until = NULL, last_error = substr(@error, 1, 2000) WHERE id = @id",
            ("@id", id), ("@due", dueAt.ToUnixTimeMilliseconds()), ("@error", error)), cancellationToken);

    /// <inheritdoc />
    public Task<long> CountPendingAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("CountOutbox", c => (long)Scalar(c, null, "SELECT count(*) FROM outbox")!, cancellationToken);

    private static void Enqueue(SqliteConnection c, SqliteTransaction t, IReadOnlyList<OutboxMessage> messages)
    {
        foreach (var message in messages)
        {
            Execute(c, t, "INSERT INTO outbox(kind, subject, data, due_at) VALUES (@kind, @subject, @data, 0)",
                ("@kind", message.Kind), ("@subject", message.Subject), ("@data", message.Data));
        }
    }
}
