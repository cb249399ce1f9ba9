using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ImageSocial.Shared.Telemetry;

/// <summary>How every package of the SDK reports: one <see cref="ActivitySource"/> and one <see cref="Meter"/> named after the package
/// (Npgsql's model). Nothing is computed for a span nobody records or an instrument nobody listens to.</summary>
/// <remarks>Shared source: compiled into each package as an internal type, so no package exposes or depends on another's telemetry.</remarks>
internal static class Tracing
{
    /// <summary>The version the source and meter report: the assembly's informational version.</summary>
    internal static string VersionOf(Type type) =>
        type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false) is [System.Reflection.AssemblyInformationalVersionAttribute a, ..]
            ? a.InformationalVersion
            : type.Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>Marks a span as failed with the error's type (OpenTelemetry's <c>error.type</c>).</summary>
    internal static void Fail(this Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
    }

    /// <summary>Runs <paramref name="body"/> in a span named <paramref name="name"/>; a failure marks the span and propagates.</summary>
    internal static async Task<T> InSpanAsync<T>(this ActivitySource source, string name, Func<Activity?, Task<T>> body, ActivityKind kind = ActivityKind.Internal)
    {
        using var activity = source.StartActivity(name, kind);
        try
        {
            return await body(activity).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            throw;
        }
    }

    /// <summary>Runs <paramref name="body"/> in a span named <paramref name="name"/>; a failure marks the span and propagates.</summary>
    internal static async Task InSpanAsync(this ActivitySource source, string name, Func<Activity?, Task> body, ActivityKind kind = ActivityKind.Internal)
    {
        using var activity = source.StartActivity(name, kind);
        try
        {
            await body(activity).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            throw;
        }
    }

    /// <summary>Runs a synchronous <paramref name="body"/> in a span, timing it into <paramref name="duration"/> when that is listened to.</summary>
    internal static T InSpan<T>(this ActivitySource source, string name, Histogram<double>? duration, Func<Activity?, T> body, in TagList tags = default)
    {
        using var activity = source.StartActivity(name);
        var started = duration is { Enabled: true } ? Stopwatch.GetTimestamp() : 0;
        try
        {
            return body(activity);
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            throw;
        }
        finally
        {
            if (started != 0)
            {
                duration!.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }
}
