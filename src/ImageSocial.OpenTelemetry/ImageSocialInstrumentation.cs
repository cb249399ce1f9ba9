namespace ImageSocial.OpenTelemetry;

/// <summary>The names the SDK's packages report under: each package has one <c>ActivitySource</c> and one <c>Meter</c> named after it
/// (<c>ImageSocial</c>, <c>ImageSocial.Storage.Sqlite</c>, <c>ImageSocial.Storage.Postgres</c>, …).</summary>
public static class ImageSocialInstrumentation
{
    /// <summary>The core package's source and meter.</summary>
    public const string CoreName = "ImageSocial";

    /// <summary>Every provider package's source and meter (an OpenTelemetry wildcard).</summary>
    public const string ProvidersPattern = "ImageSocial.*";

    /// <summary>Both, as OpenTelemetry's <c>AddSource</c> and <c>AddMeter</c> take them.</summary>
    public static IReadOnlyList<string> Names { get; } = [CoreName, ProvidersPattern];
}
