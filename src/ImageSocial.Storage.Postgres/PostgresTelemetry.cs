using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial.Storage.Postgres;

/// <summary>The provider's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial.Storage.Postgres</c>: one
/// span per store operation (with its retries), around Npgsql's own per-command spans (source <c>Npgsql</c>).</summary>
internal static class PostgresTelemetry
{
    internal const string Name = "ImageSocial.Storage.Postgres";

    private static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(PostgresTelemetry)));

    private static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(PostgresTelemetry)));

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("db.client.operation.duration", "s",
        "Duration of a metadata store operation, retries included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Counter<long> Retries = Meter.CreateCounter<long>("imagesocial.postgres.retries", "{retry}", "Transient failures retried.");

    internal static Activity? Start(string operation)
    {
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "postgresql");
            activity.SetTag("db.operation.name", operation);
        }

        return activity;
    }

    internal static long Started() => Duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static void Stop(Activity? activity, string operation, long started, int retries, Exception? error)
    {
        if (error is not null)
        {
            activity.Fail(error);
        }

        if (retries > 0)
        {
            activity?.SetTag("imagesocial.retries", retries);
            Retries.Add(retries, new KeyValuePair<string, object?>("db.operation.name", operation));
        }

        if (started != 0)
        {
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("db.system.name", "postgresql"), new KeyValuePair<string, object?>("db.operation.name", operation));
        }
    }
}
