using ImageSocial.OpenTelemetry;

namespace OpenTelemetry.Trace;

/// <summary>Subscribes a tracer provider to the SDK's spans.</summary>
public static class TracerProviderBuilderExtensions
{
    /// <summary>Records the spans of every ImageSocial package: application operations (upload, each read path), outbox jobs, store,
    /// blob, index, codec and embedding calls. Add <c>AddSource("Npgsql")</c> as well for each SQL statement of the PostgreSQL provider.</summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder.</returns>
    public static TracerProviderBuilder AddImageSocialInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource([.. ImageSocialInstrumentation.Names]);
    }
}
