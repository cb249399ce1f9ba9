using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ImageSocial.SampleHost;

/// <summary>OpenTelemetry for the host (configuration section <c>Telemetry</c>): the SDK's and ASP.NET Core's spans and instruments,
/// a Prometheus scrape endpoint at <c>GET /metrics</c>, and an OTLP exporter when an endpoint is configured.</summary>
internal static class Telemetry
{
    public static void AddSampleTelemetry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Telemetry");
        var otlp = section["Otlp:Endpoint"];
        var prometheus = section.GetValue("Prometheus:Enabled", true);
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(section["ServiceName"] ?? "imagesocial-sample-host"));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddImageSocialInstrumentation().AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddMeter("Npgsql");
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (!string.IsNullOrEmpty(otlp))
            {
                metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            }
        });

        // Spans only leave the process through OTLP; without an endpoint nobody listens and the SDK skips them.
        if (!string.IsNullOrEmpty(otlp))
        {
            telemetry.WithTracing(tracing => tracing.AddImageSocialInstrumentation().AddSource("Npgsql").AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }
    }

    public static void MapSampleTelemetry(this WebApplication app)
    {
        if (app.Configuration.GetSection("Telemetry").GetValue("Prometheus:Enabled", true))
        {
            // For a scraper on the operator's network; turn it off (Telemetry:Prometheus:Enabled=false) where that is not private.
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }
    }
}
