using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial;

/// <summary>The core package's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial</c>.</summary>
internal static class CoreTelemetry
{
    internal const string Name = "ImageSocial";

    internal static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(CoreTelemetry)));

    internal static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(CoreTelemetry)));

    /// <summary>Every application-facing operation (upload, each read path, each write), by operation and outcome.</summary>
    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>("imagesocial.operation.duration", "s",
        "Duration of an application-facing SDK operation.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    internal static readonly Histogram<double> UploadDuration = Meter.CreateHistogram<double>("imagesocial.upload.duration", "s",
        "Time to accept an upload: probe, renditions, blobs and the metadata commit.");

    internal static readonly Histogram<long> UploadSize = Meter.CreateHistogram<long>("imagesocial.upload.size", "By", "Size of each accepted upload.");

    internal static readonly Histogram<int> SimilarResults = Meter.CreateHistogram<int>("imagesocial.similar.results", "{photo}",
        "Photos a similarity search returned after the viewer's visibility check.");

    internal static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("imagesocial.outbox.job.duration", "s", "Duration of one outbox job, by kind and outcome.");

    /// <summary>How long a message waited from the moment it was ready (enqueued, or due) until it completed: for photo.created, how long
    /// a new photo was missing from similar search.</summary>
    internal static readonly Histogram<double> JobLag = Meter.CreateHistogram<double>("imagesocial.outbox.lag", "s",
        "Time from an outbox message becoming ready to its completion, by kind.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300] });

    internal static readonly Counter<long> JobRetries = Meter.CreateCounter<long>("imagesocial.outbox.retries", "{message}", "Outbox jobs that failed and were scheduled again.");

    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("imagesocial.outbox.dead_letters", "{message}",
        "Outbox messages set aside after their last allowed attempt.");

    private static readonly ConcurrentDictionary<JobRunner, byte> Runners = new();

    private static readonly ObservableInstrument<long>[] OutboxGauges =
    [
        Meter.CreateObservableGauge("imagesocial.outbox.depth", () => Observe(s => s.Pending), "{message}", "Outbox messages not yet completed (dead letters excluded)."),
        Meter.CreateObservableGauge("imagesocial.outbox.due", () => Observe(s => s.Due), "{message}", "Outbox messages due now and not leased."),
        Meter.CreateObservableGauge("imagesocial.outbox.dead_letter_count", () => Observe(s => s.DeadLetters), "{message}", "Outbox messages set aside as dead letters."),
    ];

    private static readonly ObservableGauge<double> OldestDueAge =
        Meter.CreateObservableGauge("imagesocial.outbox.oldest_due_age", ObserveOldestDueAge, "s", "How long the oldest due outbox message has waited.");

    /// <summary>Whether anyone listens to the outbox gauges: the runner reads the outbox's statistics only then.</summary>
    internal static bool OutboxObserved => OldestDueAge.Enabled || OutboxGauges.Any(g => g.Enabled);

    internal static void Track(JobRunner runner) => Runners.TryAdd(runner, 0);

    internal static void Untrack(JobRunner runner) => Runners.TryRemove(runner, out _);

    private static IEnumerable<Measurement<long>> Observe(Func<OutboxStats, long> value) =>
        Runners.Keys.Select(r => r.LastStats).OfType<OutboxStats>().Select(s => new Measurement<long>(value(s)));

    private static IEnumerable<Measurement<double>> ObserveOldestDueAge() =>
        Runners.Keys.Select(r => (r.LastStats, r.LastStatsAt)).Where(x => x.LastStats is not null)
            .Select(x => new Measurement<double>(x.LastStats!.OldestDueAt is { } due ? Math.Max(0, (x.LastStatsAt - due).TotalSeconds) : 0));
}
