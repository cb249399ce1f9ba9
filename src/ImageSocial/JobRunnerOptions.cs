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

    /// <summary>This runner's name in the outbox's leases (and its consumer name in a shared job queue): unique among the live hosts of a
    /// deployment and the same across a host's restarts, so that a restarted host takes back its previous incarnation's claims at once.
    /// Default <c>{machine name}/node-{IdNode}</c>: id nodes are unique per host already.</summary>
    public string? Name { get; set; }

    /// <summary>How many batches of messages run at once. Default the number of processors (at least 2).</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>The most messages one worker takes at a time; new photos among them are embedded in one call to the engine. Default 16.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 16;

    /// <summary>How long a claimed message is reserved for its runner. A working runner renews it every quarter of it (a heartbeat), so it
    /// only runs out when the runner died: then another host takes the message over. Default 10 seconds.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(10);

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
