using System.ComponentModel.DataAnnotations;

namespace ImageSocial;

/// <summary>Settings of the in-process job runner that drains the outbox (configuration section <c>ImageSocial:Jobs</c>).</summary>
public sealed class JobRunnerOptions
{
    /// <summary>Whether this process runs jobs at all. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether the runner starts by itself on the first work enqueued when no host started it (a console app, a test, a
    /// script); it stops when the service provider is disposed. Default <see langword="true"/>.</summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>How often an idle runner looks for due work. Default 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed message is reserved before another runner may take it. Default 5 minutes.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first retry delay; it doubles with each failure up to <see cref="MaxRetryDelay"/>. Default 1 second.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay. Default 10 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many times a message is tried before it is set aside as a dead letter (listed and retried by an administrator).
    /// Default 10.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How often expired deleted photos are purged. Default 1 hour.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}
