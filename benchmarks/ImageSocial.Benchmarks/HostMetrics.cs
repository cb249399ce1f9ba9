using System.Globalization;

namespace ImageSocial.Benchmarks;

/// <summary>Reads the sample host's Prometheus endpoint: the indexing lag histogram (<c>imagesocial.outbox.lag</c> for photo.created) and
/// the outbox gauges.</summary>
internal static class HostMetrics
{
    /// <summary>The cumulative bucket counts of the photo.created lag histogram, by upper bound in seconds (+Inf as infinity).</summary>
    public static async Task<SortedDictionary<double, long>> IndexingLagAsync(HttpClient http)
    {
        var buckets = new SortedDictionary<double, long>();
        foreach (var line in await LinesAsync(http, "imagesocial_outbox_lag_seconds_bucket{"))
        {
            if (!line.Contains("photo.created", StringComparison.Ordinal))
            {
                continue;
            }

            var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
            le = le[..le.IndexOf('"', StringComparison.Ordinal)];
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            buckets[bound] = buckets.GetValueOrDefault(bound) + (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        return buckets;
    }

    /// <summary>A gauge's value (the first series whose name starts with <paramref name="name"/>), or null.</summary>
    public static async Task<double?> GaugeAsync(HttpClient http, string name) =>
        (await LinesAsync(http, name)).Select(l => (double?)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();

    /// <summary>The share of jobs at or under <paramref name="seconds"/> between two scrapes, and the p99 read off the buckets (the upper
    /// bound of the bucket that holds it, so never lower than the truth).</summary>
    public static (long Count, double ShareWithin, double P99UpperBound) Summarize(SortedDictionary<double, long> before, SortedDictionary<double, long> after, double seconds)
    {
        var delta = after.ToDictionary(b => b.Key, b => b.Value - before.GetValueOrDefault(b.Key));
        var total = delta.GetValueOrDefault(double.PositiveInfinity);
        if (total == 0)
        {
            return (0, 1, 0);
        }

        var within = delta.Where(b => b.Key <= seconds).Select(b => b.Value).DefaultIfEmpty(0).Max();
        var p99 = delta.OrderBy(b => b.Key).First(b => b.Value >= 0.99 * total).Key;
        return (total, (double)within / total, p99);
    }

    private static async Task<List<string>> LinesAsync(HttpClient http, string prefix)
    {
        using var response = await http.GetAsync("/metrics");
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        return (await response.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }
}
