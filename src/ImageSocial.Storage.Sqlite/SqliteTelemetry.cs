using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial.Storage.Sqlite;

/// <summary>The provider's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial.Storage.Sqlite</c>, with
/// OpenTelemetry's database conventions (<c>db.system.name</c> = <c>sqlite</c>).</summary>
internal static class SqliteTelemetry
{
    internal const string Name = "ImageSocial.Storage.Sqlite";

    private static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(SqliteTelemetry)));

    private static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(SqliteTelemetry)));

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("db.client.operation.duration", "s", "Duration of a metadata store operation.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    internal static Activity? Start(string operation)
    {
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "sqlite");
            activity.SetTag("db.operation.name", operation);
        }

        return activity;
    }

    internal static void Fail(Activity? activity, Exception exception) => activity.Fail(exception);

    internal static long Started() => Duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static void Record(string operation, long started)
    {
        if (started != 0)
        {
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("db.system.name", "sqlite"), new KeyValuePair<string, object?>("db.operation.name", operation));
        }
    }
}
