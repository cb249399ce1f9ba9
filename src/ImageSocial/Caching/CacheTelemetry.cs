using System.Diagnostics.Metrics;

namespace ImageSocial.Caching;

/// <summary>The cache's instruments on the core's meter.</summary>
internal static class CacheTelemetry
{
    private static readonly Counter<long> RequestCounter = CoreTelemetry.Meter.CreateCounter<long>("imagesocial.cache.requests", "{entry}",
        "Entries the read path asked the shared cache for, by kind and outcome (hit or miss).");

    private static readonly Counter<long> UnavailableCounter = CoreTelemetry.Meter.CreateCounter<long>("imagesocial.cache.unavailable", "{read}",
        "Reads that found the shared cache unavailable and went to the stores.");

    internal static void Requests(string kind, int hits, int misses)
    {
        if (!RequestCounter.Enabled)
        {
            return;
        }

        var tag = new KeyValuePair<string, object?>("imagesocial.cache.kind", kind);
        if (hits > 0)
        {
            RequestCounter.Add(hits, tag, new KeyValuePair<string, object?>("imagesocial.cache.outcome", "hit"));
        }

        if (misses > 0)
        {
            RequestCounter.Add(misses, tag, new KeyValuePair<string, object?>("imagesocial.cache.outcome", "miss"));
        }
    }

    internal static void Unavailable(string kind) => UnavailableCounter.Add(1, new KeyValuePair<string, object?>("imagesocial.cache.kind", kind));
}
