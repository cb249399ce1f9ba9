namespace ImageSocial.Storage.Postgres;

/// <remarks>Each server has its own outbox, written in the same transaction as the change on that server. A message id carries its
/// server's index in the top 16 bits.</remarks>
public sealed partial class PostgresMetadataStore
{
    private const int ServerShift = 47;
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
    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        max = Math.Max(1, max);
        var claimed = new List<OutboxMessage>();
        // Start at a different server each call so that one busy server does not starve the others.
        var start = Interlocked.Increment(ref claimStart);
        for (var i = 0; i < cluster.Servers.Count && claimed.Count < max; i++)
        {
            var server = cluster.Servers[(int)((uint)(start + i) % (uint)cluster.Servers.Count)];
            var rows = await cluster.RetryAsync("ClaimOutbox", () => server.RunAsync(false, c => Sql.QueryAsync(c, null,
                r => new OutboxMessage(((long)server.Index << ServerShift) | r.GetInt64(0), r.GetString(1), r.GetInt64(2), Sql.Text(r, 3), r.GetInt32(4)), """
                    UPDATE imagesocial.outbox o SET lease_until = $2 FROM (
                        SELECT id FROM imagesocial.outbox WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) d
                    WHERE o.id = d.id RETURNING o.id, o.kind, o.subject, o.data, o.attempts
                    """, cancellationToken, now, leaseUntil, max - claimed.Count), cancellationToken), cancellationToken).ConfigureAwait(false);
            claimed.AddRange(rows.OrderBy(m => m.Id));
        }

        return claimed;
    }

    /// <inheritdoc />
    public Task CompleteAsync(long id, CancellationToken cancellationToken = default) =>
        OnOutboxServer("CompleteOutbox", id, "DELETE FROM imagesocial.outbox WHERE id = $1", cancellationToken);

    /// <inheritdoc />
    public Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) =>
        OnOutboxServer("RetryOutbox", id, "UPDATE imagesocial.outbox SET attempts = attempts + 1, due_at = $2, lease_until = NULL, last_error = left($3, 2000) WHERE id = $1",
            cancellationToken, dueAt, error);

    /// <inheritdoc />
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken = default) =>
        (await cluster.EveryServerAsync("CountOutbox", false, async (_, c) =>
            new List<long> { (long)(await Sql.ScalarAsync(c, null, "SELECT count(*) FROM imagesocial.outbox", cancellationToken).ConfigureAwait(false))! }, cancellationToken).ConfigureAwait(false)).Sum();

    private Task OnOutboxServer(string operation, long id, string sql, CancellationToken cancellationToken, params object?[] more)
    {
        var index = (int)(id >>> ServerShift);
        if (index >= cluster.Servers.Count)
        {
            throw new NotFoundException($"Outbox message {id} does not exist.");
        }

        var server = cluster.Servers[index];
        return cluster.RetryAsync(operation, () => server.RunAsync(false, c => Sql.ExecuteAsync(c, null, sql, cancellationToken, [id & ((1L << ServerShift) - 1), .. more]),
            cancellationToken), cancellationToken);
    }
}
