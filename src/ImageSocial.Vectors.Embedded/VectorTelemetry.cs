using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial.Vectors.Embedded;

/// <summary>The index's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial.Vectors.Embedded</c>.</summary>
internal static class VectorTelemetry
{
    internal const string Name = "ImageSocial.Vectors.Embedded";

    private static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(VectorTelemetry)));

    private static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(VectorTelemetry)));

    private static readonly Histogram<double> SearchDuration = Meter.CreateHistogram<double>("imagesocial.vector.search.duration", "s", "Duration of a top-k vector search.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25] });

    private static readonly Histogram<int> SearchResults = Meter.CreateHistogram<int>("imagesocial.vector.search.results", "{vector}", "Matches a vector search returned.");

    private static readonly Histogram<double> UpsertDuration = Meter.CreateHistogram<double>("imagesocial.vector.upsert.duration", "s", "Duration of a vector upsert batch.");

    internal static IReadOnlyList<VectorMatch> Search(int k, bool filtered, Func<IReadOnlyList<VectorMatch>> body)
    {
        var result = Source.InSpan("VectorSearch", SearchDuration, activity =>
        {
            activity?.SetTag("imagesocial.vector.k", k);
            activity?.SetTag("imagesocial.vector.filtered", filtered);
            var matches = body();
            activity?.SetTag("imagesocial.vector.results", matches.Count);
            return matches;
        });
        SearchResults.Record(result.Count);
        return result;
    }

    internal static void Upsert(int count, Action body) =>
        Source.InSpan("VectorUpsert", UpsertDuration, activity =>
        {
            activity?.SetTag("imagesocial.vector.count", count);
            body();
            return true;
        });
}
