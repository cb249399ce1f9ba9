using System.Diagnostics;
using ImageSocial.Shared.Telemetry;

namespace ImageSocial;

/// <summary>Wraps each application-facing operation in a span of the core's source and a sample of
/// <c>imagesocial.operation.duration</c>; costs a branch when nobody listens.</summary>
internal static class Operations
{
    internal const string UserTag = "imagesocial.user.id";
    internal const string SubjectTag = "imagesocial.subject.id";

    internal static async Task<T> RunAsync<T>(string operation, UserId? user, Func<Task<T>> body, long? subject = null)
    {
        using var activity = CoreTelemetry.Source.StartActivity(operation);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(UserTag, user?.Value);
            activity.SetTag(SubjectTag, subject);
        }

        var started = CoreTelemetry.OperationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        var outcome = "ok";
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            outcome = ex is ImageSocialException ? ex.GetType().Name : "error";
            throw;
        }
        finally
        {
            if (started != 0)
            {
                CoreTelemetry.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("imagesocial.operation", operation), new KeyValuePair<string, object?>("imagesocial.outcome", outcome));
            }
        }
    }

    internal static Task RunAsync(string operation, UserId? user, Func<Task> body, long? subject = null) =>
        RunAsync<bool>(operation, user, async () =>
        {
            await body().ConfigureAwait(false);
            return true;
        }, subject);
}
