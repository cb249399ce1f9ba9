using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial.Storage.Local;

/// <summary>The provider's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial.Storage.Local</c>.</summary>
internal static class LocalBlobTelemetry
{
    internal const string Name = "ImageSocial.Storage.Local";

    private static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(LocalBlobTelemetry)));

    private static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(LocalBlobTelemetry)));

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("imagesocial.blob.operation.duration", "s", "Duration of a blob store operation.");

    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>("imagesocial.blob.bytes", "By", "Bytes written to or opened from the blob store.");

    /// <summary>Runs one blob operation in a span and a duration sample.</summary>
    internal static async Task<T> RunAsync<T>(string operation, string key, Func<Task<T>> body)
    {
        using var activity = Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("imagesocial.blob.key", key);
        var started = Duration.Enabled ? Stopwatch.GetTimestamp() : 0;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            throw;
        }
        finally
        {
            if (started != 0)
            {
                Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("imagesocial.blob.operation", operation));
            }
        }
    }

    internal static void CountBytes(string direction, long bytes) => Bytes.Add(bytes, new KeyValuePair<string, object?>("imagesocial.blob.direction", direction));
}
