namespace ImageSocial;

/// <summary>The durable queue of follow-up work that the job runner drains.</summary>
/// <remarks>Delivery is at least once: handlers are idempotent. Implementations are thread-safe.</remarks>
public interface IOutbox
{
    /// <summary>Stores messages outside any other change.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Leases up to <paramref name="max"/> due messages until <paramref name="leaseUntil"/>; a message whose lease runs out is due again.</summary>
    /// <param name="max">The most messages.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseUntil">Until when the messages are reserved for the caller.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<OutboxMessage>> ClaimAsync(int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Removes a finished message.</summary>
    /// <param name="id">The message id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task CompleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Records a failure and makes the message due again at <paramref name="dueAt"/>.</summary>
    /// <param name="id">The message id.</param>
    /// <param name="dueAt">When to try again.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task RetryLaterAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default);

    /// <summary>The number of messages not yet completed, dead letters excluded.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<long> CountPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets a message aside after its last failed attempt: it is never claimed again until
    /// <see cref="RequeueDeadLetterAsync"/> puts it back.</summary>
    /// <param name="id">The message id.</param>
    /// <param name="deadAt">When it was set aside.</param>
    /// <param name="error">The last error.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task DeadLetterAsync(long id, DateTimeOffset deadAt, string error, CancellationToken cancellationToken = default);

    /// <summary>The dead letters, oldest message first.</summary>
    /// <param name="page">The page; its cursor resumes after the last message returned.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<DeadLetter>> ListDeadLettersAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Makes a dead letter due again now, with its attempts counted from zero.</summary>
    /// <param name="id">The message id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether a dead letter with that id was put back.</returns>
    Task<bool> RequeueDeadLetterAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>How much work waits: pending and dead messages, and when the oldest due message became due.</summary>
    /// <param name="now">The current time: messages due at or before it count as due.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<OutboxStats> GetStatsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
