using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Shared.Telemetry;
using StackExchange.Redis;

namespace ImageSocial.Redis;

/// <summary>The provider's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial.Redis</c>, and the one place where
/// StackExchange.Redis's exceptions become typed errors.</summary>
internal static class RedisTelemetry
{
    internal const string Name = "ImageSocial.Redis";

    private static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(RedisTelemetry)));

    private static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(RedisTelemetry)));

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("imagesocial.redis.operation.duration", "s", "Duration of a Redis operation of the SDK.");

    /// <summary>Counts calls that found Redis unavailable (and so fell back, or failed where there is no fallback).</summary>
    internal static readonly Counter<long> Unavailable = Meter.CreateCounter<long>("imagesocial.redis.unavailable", "{call}",
        "Redis calls of the SDK that failed because Redis was unreachable or slow.");

    /// <summary>Whether an exception means "Redis did not answer" (as opposed to a bug or the caller's cancellation).</summary>
    internal static bool IsUnavailable(Exception ex) => ex is RedisConnectionException or RedisTimeoutException or RedisServerException or TimeoutException
        or ObjectDisposedException;

    /// <summary>Runs one operation in a span and a duration sample; Redis failures become a <see cref="RedisProviderException"/>.</summary>
    internal static async Task<T> RunAsync<T>(string operation, Func<Task<T>> body)
    {
        using var activity = Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("db.system.name", "redis");
        var started = Duration.Enabled ? Stopwatch.GetTimestamp() : 0;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex) || ex is RedisException)
        {
            Unavailable.Add(1, new KeyValuePair<string, object?>("imagesocial.redis.operation", operation));
            var error = new RedisProviderException($"Redis {operation} failed: {ex.Message}", ex) { ProviderName = "redis", OperationName = operation };
            activity.Fail(error);
            throw error;
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
                Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("imagesocial.redis.operation", operation));
            }
        }
    }

    internal static async Task RunAsync(string operation, Func<Task> body) =>
        await RunAsync(operation, async () =>
        {
            await body().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
}
