using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial.Embeddings;

/// <summary>The engines' <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial.Embeddings</c>.</summary>
internal static class EmbeddingTelemetry
{
    internal const string Name = "ImageSocial.Embeddings";

    private static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(EmbeddingTelemetry)));

    private static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(EmbeddingTelemetry)));

    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("imagesocial.embedding.batch.duration", "s",
        "Duration of one embedding batch (inference, or the descriptor's computation).");

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("imagesocial.embedding.batch.size", "{image}", "Images in one embedding batch.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });

    /// <summary>Runs one batch of <paramref name="images"/> images (padded to <paramref name="slots"/>) in a span, timed and counted.</summary>
    internal static T Batch<T>(int images, int slots, Func<T> body)
    {
        BatchSize.Record(images);
        return Source.InSpan("EmbedBatch", BatchDuration, activity =>
        {
            activity?.SetTag("imagesocial.embedding.batch.size", images);
            activity?.SetTag("imagesocial.embedding.batch.slots", slots);
            return body();
        });
    }
}
