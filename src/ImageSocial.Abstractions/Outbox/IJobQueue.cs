namespace ImageSocial;

/// <summary>Hands due outbox work to the job runners of every host that shares the outbox. The outbox stays the durable record and its
/// leases decide who runs a message; a queue only decides who is told about it, and how fast.</summary>
/// <remarks>The core's default takes work straight from the outbox; the Redis provider hands it out through a stream and a consumer group
/// (<c>AddRedisJobs()</c>). Delivery is at least once: handlers are idempotent. Implementations are thread-safe.</remarks>
public interface IJobQueue
{
    /// <summary>A runner starts: claims its previous incarnation (same name) held are released or taken back at once.</summary>
    /// <param name="runner">The runner's name, unique among the live runners of a deployment and stable across its restarts.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task StartAsync(string runner, CancellationToken cancellationToken = default);

    /// <summary>Takes up to <paramref name="max"/> due messages, leased in the outbox to <paramref name="runner"/> until
    /// <paramref name="leaseUntil"/> (the runner renews the lease while it works).</summary>
    /// <param name="runner">The runner's name.</param>
    /// <param name="max">The most messages.</param>
    /// <param name="leaseUntil">Until when they are reserved.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<OutboxMessage>> TakeAsync(string runner, int max, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>The runner is done with messages it took: each was completed, retried later or set aside in the outbox.</summary>
    /// <param name="runner">The runner's name.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task FinishAsync(string runner, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Waits until work may be due (another host or this one enqueued some) or <paramref name="timeout"/> passes.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>This host stored work that is due now: wake the runners.</summary>
    void Notify();
}
