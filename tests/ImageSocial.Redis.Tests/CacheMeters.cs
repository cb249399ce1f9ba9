using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ImageSocial.Redis.Tests;

/// <summary>Sums the core's cache counters (by instrument and outcome) while the test runs.</summary>
internal sealed class CacheMeters : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> totals = new();

    public CacheMeters()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ImageSocial" && instrument.Name.StartsWith("imagesocial.cache.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var outcome = "";
            foreach (var tag in tags)
            {
                outcome = tag.Key == "imagesocial.cache.outcome" ? "." + tag.Value : outcome;
            }

            totals.AddOrUpdate(instrument.Name + outcome, value, (_, n) => n + value);
        });
        listener.Start();
    }

    public long Hits => totals.GetValueOrDefault("imagesocial.cache.requests.hit");

    public long Misses => totals.GetValueOrDefault("imagesocial.cache.requests.miss");

    public long Unavailable => totals.GetValueOrDefault("imagesocial.cache.unavailable");

    public void Dispose() => listener.Dispose();
}
