namespace ImageSocial.ConformanceTests;

/// <summary>A clock a test sets by hand, for expiry and retention rules.</summary>
/// <param name="now">The starting time.</param>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The time the clock reports; tests move it.</summary>
    public DateTimeOffset Now { get; set; } = now;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;
}
