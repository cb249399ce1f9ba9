using ImageSocial.OpenTelemetry;

namespace OpenTelemetry.Metrics;

/// <summary>Subscribes a meter provider to the SDK's instruments.</summary>
public static class MeterProviderBuilderExtensions
{
    /// <summary>Collects the instruments of every ImageSocial package: operation and upload durations and sizes, renditions, embedding
    /// batch sizes and latency, vector search latency and results, outbox depth, age of the oldest due message, retries and dead
    /// letters, store and blob operation durations.</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    public static MeterProviderBuilder AddImageSocialInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter([.. ImageSocialInstrumentation.Names]);
    }
}
