namespace ImageSocial;

/// <summary>How much follow-up work waits in an outbox.</summary>
/// <param name="Pending">Messages not yet completed (leased ones and those waiting for a retry included), dead letters excluded.</param>
/// <param name="Due">Pending messages due now and not leased.</param>
/// <param name="InFlight">Pending messages leased by a runner whose lease has not run out.</param>
/// <param name="DeadLetters">Messages set aside after their last attempt.</param>
/// <param name="OldestDueAt">When the oldest due message became due (or was enqueued), or <see langword="null"/> when none is due.</param>
public sealed record OutboxStats(long Pending, long Due, long InFlight, long DeadLetters, DateTimeOffset? OldestDueAt);
