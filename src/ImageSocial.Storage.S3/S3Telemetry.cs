using System.Diagnostics;
using System.Diagnostics.Metrics;
using Amazon.Runtime;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial.Storage.S3;

/// <summary>The provider's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>ImageSocial.Storage.S3</c>, and the one place
/// where the SDK's exceptions become the store's typed errors.</summary>
internal static class S3Telemetry
{
    internal const string Name = "ImageSocial.Storage.S3";

    private static readonly ActivitySource Source = new(Name, Tracing.VersionOf(typeof(S3Telemetry)));

    private static readonly Meter Meter = new(Name, Tracing.VersionOf(typeof(S3Telemetry)));

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("imagesocial.blob.operation.duration", "s", "Duration of a blob store operation.");

    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>("imagesocial.blob.bytes", "By", "Bytes written to or opened from the blob store.");

    /// <summary>Runs one operation in a span and a duration sample; the caller's cancellation stays a cancellation, anything else the SDK
    /// throws becomes an <see cref="S3BlobStoreException"/>.</summary>
    internal static async Task<T> RunAsync<T>(string operation, string key, Func<Task<T>> body, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("imagesocial.blob.key", key);
        var started = Duration.Enabled ? Stopwatch.GetTimestamp() : 0;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var error = new S3BlobStoreException($"S3 {operation} of '{key}' failed: {ex.Message}", ex) { ProviderName = "s3", OperationName = operation };
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
                Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("imagesocial.blob.operation", operation));
            }
        }
    }

    internal static void CountBytes(string direction, long bytes) => Bytes.Add(bytes, new KeyValuePair<string, object?>("imagesocial.blob.direction", direction));
}
