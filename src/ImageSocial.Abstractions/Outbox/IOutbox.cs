namespace ImageSocial;

/// <summary>The durable queue of follow-up work that the job runner drains.</summary>
/// <remarks>Delivery is at least once: handlers are idempotent. Implementations are thread-safe.</remarks>
public interface IOutbox
{
    /// <summary>Stores messages outside any other change.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Leases up to <paramref name="max"/> due messages to <paramref name="owner"/> until <paramref name="leaseUntil"/>; a message
    /// whose lease runs out is due again. Claimed messages carry <see cref="OutboxMessage.EnqueuedAt"/> and <see cref="OutboxMessage.DueAt"/>.</summary>
    /// <param name="owner">Who takes them: a job runner's name, unique among the live runners of a deployment.</param>
    /// <param name="max">The most messages.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseUntil">Until when the messages are reserved for the caller.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Leases the messages among <paramref name="ids"/> that are due and free (never leased, lease run out, already leased to
    /// <paramref name="owner"/>, or leased to <paramref name="handedOverBy"/>) to <paramref name="owner"/>: how a runner takes work that a
    /// dispatcher handed to it. Completed, dead and live-leased messages are left alone, so no message runs twice at once.</summary>
    /// <param name="ids">The message ids.</param>
    /// <param name="owner">Who takes them.</param>
    /// <param name="handedOverBy">The owner name a dispatcher claimed them under, or <see langword="null"/>.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseUntil">Until when they are reserved for <paramref name="owner"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The messages leased, as <see cref="ClaimAsync"/> returns them.</returns>
    Task<IReadOnlyList<OutboxMessage>> ClaimByIdAsync(IReadOnlyList<long> ids, string owner, string? handedOverBy, DateTimeOffset now, DateTimeOffset leaseUntil,
        CancellationToken cancellationToken = default);

    /// <summary>Extends the leases <paramref name="owner"/> holds on <paramref name="ids"/>: the heartbeat of a runner at work, so that a
    /// short lease only runs out when its runner died.</summary>
    /// <param name="ids">The message ids.</param>
    /// <param name="owner">The runner holding them.</param>
    /// <param name="leaseUntil">The new end of the lease.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many leases were extended (those the owner still held).</returns>
    Task<int> RenewAsync(IReadOnlyList<long> ids, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Ends every lease <paramref name="owner"/> holds, making those messages due at once: a restarted runner frees the claims
    /// of its previous incarnation instead of waiting for them to run out.</summary>
    /// <param name="owner">The runner.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many leases ended.</returns>
    Task<int> ReleaseAsync(string owner, CancellationToken cancellationToken = default);

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
