namespace ImageSocial;

/// <summary>A unit of follow-up work, stored in the same transaction as the change that caused it.</summary>
/// <param name="Id">The store's id for the message; 0 for a message not yet stored.</param>
/// <param name="Kind">What to do; see <see cref="OutboxKinds"/>.</param>
/// <param name="Subject">The id the work is about (a photo id, a user id).</param>
/// <param name="Data">Optional extra data, kind-specific.</param>
/// <param name="Attempts">How many times it was tried and failed.</param>
public sealed record OutboxMessage(long Id, string Kind, long Subject, string? Data = null, int Attempts = 0)
{
    /// <summary>Creates a message to store.</summary>
    public static OutboxMessage Create(string kind, long subject, string? data = null) => new(0, kind, subject, data);
}

/// <summary>The outbox kinds the core handles.</summary>
public static class OutboxKinds
{
    /// <summary>A photo was uploaded: embed it, index it, fan it out.</summary>
    public const string PhotoCreated = "photo.created";

    /// <summary>A photo's title, tags or visibility changed: refresh the index payload.</summary>
    public const string PhotoUpdated = "photo.updated";

    /// <summary>A photo was soft-deleted: remove it from the index and timelines.</summary>
    public const string PhotoDeleted = "photo.deleted";

    /// <summary>A photo was restored: index it again.</summary>
    public const string PhotoRestored = "photo.restored";

    /// <summary>A photo was purged: delete its blobs.</summary>
    public const string PhotoPurged = "photo.purged";

    /// <summary>An account's private flag changed: refresh its photos' index payloads.</summary>
    public const string UserPrivacyChanged = "user.privacy-changed";

    /// <summary>The embedding space is new (another model): embed every live photo missing from its index, a page at a time
    /// (the data is the cursor of the next page).</summary>
    public const string SpaceBackfill = "space.backfill";
}

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

    /// <summary>The number of messages not yet completed.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<long> CountPendingAsync(CancellationToken cancellationToken = default);
}
