using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial.Imaging.Vips;

/// <summary>The codec's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial.Imaging.Vips</c>.</summary>
internal static class CodecTelemetry
{
    internal const string Name = "ImageSocial.Imaging.Vips";

    private static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(CodecTelemetry)));

    private static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(CodecTelemetry)));

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("imagesocial.codec.operation.duration", "s",
        "Duration of a codec operation (probe, renditions, model input).");

    private static readonly Counter<long> Renditions = Meter.CreateCounter<long>("imagesocial.codec.renditions", "{rendition}", "Renditions encoded, by kind.");

    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("imagesocial.codec.rejected", "{image}", "Inputs refused, by error type.");

    /// <summary>Starts the span and the clock of one operation; dispose the scope when it ends.</summary>
    internal static Scope Begin(string operation) => new(operation, Source.StartActivity(operation), Duration.Enabled ? Stopwatch.GetTimestamp() : 0);

    internal static void CountRendition(RenditionKind kind) =>
        Renditions.Add(1, new KeyValuePair<string, object?>("imagesocial.rendition.kind", kind.ToString().ToLowerInvariant()));

    /// <summary>One operation's span and timing.</summary>
    internal readonly struct Scope(string operation, Activity? activity, long started) : IDisposable
    {
        public void Fail(Exception exception)
        {
            activity.Fail(exception);
            if (exception is ImageSocialException)
            {
                Rejected.Add(1, new KeyValuePair<string, object?>("error.type", exception.GetType().Name));
            }
        }

        public void Dispose()
        {
            if (started != 0)
            {
                Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("imagesocial.codec.operation", operation));
            }

            activity?.Dispose();
        }
    }
}
