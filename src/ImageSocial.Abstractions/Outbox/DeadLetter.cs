namespace ImageSocial;

/// <summary>An outbox message that failed as many times as the job runner allows and was set aside.</summary>
/// <param name="Message">The message, with the number of attempts it failed.</param>
/// <param name="Error">The error of its last attempt.</param>
/// <param name="DeadAt">When it was set aside.</param>
public sealed record DeadLetter(OutboxMessage Message, string Error, DateTimeOffset DeadAt);
