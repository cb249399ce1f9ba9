namespace ImageSocial;

/// <summary>A unit of follow-up work, stored in the same transaction as the change that caused it.</summary>
/// <param name="Id">The store's id for the message; 0 for a message not yet stored.</param>
/// <param name="Kind">What to do; see <see cref="OutboxKinds"/>.</param>
/// <param name="Subject">The id the work is about (a photo id, a user id).</param>
/// <param name="Data">Optional extra data, kind-specific.</param>
/// <param name="Attempts">How many times it was tried and failed.</param>
public sealed record OutboxMessage(long Id, string Kind, long Subject, string? Data = null, int Attempts = 0)
{
    /// <summary>When a message to store first becomes due, <see langword="null"/> for at once; on a claimed message, when it became due
    /// (its first due time or its retry time).</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>When the message was stored (by the store's clock); set on claimed messages, ignored when storing.</summary>
    public DateTimeOffset? EnqueuedAt { get; init; }

    /// <summary>When a claimed message became ready to run: the later of <see cref="EnqueuedAt"/> and <see cref="DueAt"/>.</summary>
    public DateTimeOffset? ReadyAt => EnqueuedAt is { } enqueued ? (DueAt is { } due && due > enqueued ? due : enqueued) : DueAt;

    /// <summary>Creates a message to store, due at once.</summary>
    public static OutboxMessage Create(string kind, long subject, string? data = null) => new(0, kind, subject, data);

    /// <summary>Creates a message to store that becomes due at <paramref name="dueAt"/> (a delayed check).</summary>
    public static OutboxMessage CreateDue(string kind, long subject, string? data, DateTimeOffset dueAt) => new(0, kind, subject, data) { DueAt = dueAt };
}
