using System.Diagnostics;
using ImageSocial.Shared.Telemetry;
using Microsoft.Extensions.Logging;

namespace ImageSocial;

public sealed partial class JobRunner
{
    /// <summary>Runs a batch under a heartbeat that keeps its leases: new and restored photos embedded together, everything else one by one.</summary>
    /// <returns>How many messages completed.</returns>
    private async Task<int> ProcessAsync(IReadOnlyList<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(batch.Select(m => m.Id).ToList(), heartbeatStop.Token);
        try
        {
            var completed = 0;
            var indexing = batch.Where(m => m.Kind is OutboxKinds.PhotoCreated or OutboxKinds.PhotoRestored).ToList();
            if (indexing.Count > 1 && await RunIndexBatchAsync(indexing, cancellationToken).ConfigureAwait(false))
            {
                completed += indexing.Count;
                batch = batch.Except(indexing).ToList();
            }

            foreach (var message in batch)
            {
                if (await RunOneAsync(message, () => handlers.HandleAsync(message, cancellationToken), cancellationToken).ConfigureAwait(false))
                {
                    completed++;
                }
            }

            return completed;
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    /// <summary>Renews the batch's leases every quarter lease until stopped, so that only a dead runner's messages are taken over.</summary>
    private async Task HeartbeatAsync(IReadOnlyList<long> ids, CancellationToken stop)
    {
        var interval = options.Lease / 4;
        while (true)
        {
            try
            {
                await Task.Delay(interval, parts.Time, stop).ConfigureAwait(false);
                await parts.Outbox.RenewAsync(ids, Name, parts.Time.GetUtcNow() + options.Lease, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The next beat tries again; if none lands before the lease runs out, another runner may start the same (idempotent) work.
                LogHeartbeatFailed(ex, ids.Count);
            }
        }
    }

    /// <summary>Indexes several new photos with one embedding call; on any failure, says so and lets each message run (and fail) alone.</summary>
    private async Task<bool> RunIndexBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        using var activity = CoreTelemetry.Source.StartActivity("OutboxJob " + OutboxKinds.PhotoCreated, ActivityKind.Consumer);
        activity?.SetTag("imagesocial.outbox.batch_size", messages.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await handlers.IndexBatchAsync(messages, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity.Fail(ex);
            LogBatchFailed(ex, messages.Count);
            return false;
        }

        foreach (var message in messages)
        {
            await parts.Outbox.CompleteAsync(message.Id, cancellationToken).ConfigureAwait(false);
            RecordJob(message, "ok", started);
        }

        return true;
    }

    private async Task<bool> RunOneAsync(OutboxMessage message, Func<Task> handle, CancellationToken cancellationToken)
    {
        // Tags given at the start, so samplers and listeners see what the job is about.
        using var activity = CoreTelemetry.Source.HasListeners() ? CoreTelemetry.Source.StartActivity(ActivityKind.Consumer, default(ActivityContext),
            [new("imagesocial.outbox.kind", message.Kind), new("imagesocial.outbox.attempt", message.Attempts + 1), new(Operations.SubjectTag, message.Subject)],
            name: "OutboxJob " + message.Kind) : null;

        var started = Stopwatch.GetTimestamp();
        try
        {
            await handle().ConfigureAwait(false);
            await parts.Outbox.CompleteAsync(message.Id, cancellationToken).ConfigureAwait(false);
            RecordJob(message, "ok", started);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity.Fail(ex);
            var attempt = message.Attempts + 1;
            if (attempt >= options.MaxAttempts)
            {
                LogDeadLettered(ex, message.Kind, message.Subject, attempt);
                await parts.Outbox.DeadLetterAsync(message.Id, parts.Time.GetUtcNow(), ex.Message, cancellationToken).ConfigureAwait(false);
                CoreTelemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("imagesocial.outbox.kind", message.Kind));
                RecordJob(message, "dead_letter", started);
                return false;
            }

            var delay = TimeSpan.FromTicks(Math.Min(options.MaxRetryDelay.Ticks, options.InitialRetryDelay.Ticks << Math.Min(message.Attempts, 30)));
            LogHandlerFailed(ex, message.Kind, message.Subject, attempt, delay);
            await parts.Outbox.RetryLaterAsync(message.Id, parts.Time.GetUtcNow() + delay, ex.Message, cancellationToken).ConfigureAwait(false);
            CoreTelemetry.JobRetries.Add(1, new KeyValuePair<string, object?>("imagesocial.outbox.kind", message.Kind));
            RecordJob(message, "retry", started);
            return false;
        }
    }

    private void RecordJob(OutboxMessage message, string outcome, long started)
    {
        var kind = new KeyValuePair<string, object?>("imagesocial.outbox.kind", message.Kind);
        if (CoreTelemetry.JobDuration.Enabled)
        {
            CoreTelemetry.JobDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, kind, new KeyValuePair<string, object?>("imagesocial.outcome", outcome));
        }

        if (outcome == "ok" && CoreTelemetry.JobLag.Enabled && message.ReadyAt is { } ready)
        {
            CoreTelemetry.JobLag.Record(Math.Max(0, (parts.Time.GetUtcNow() - ready).TotalSeconds), kind);
        }
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Renewing the leases of {Count} outbox messages failed; retrying at the next beat.")]
    private partial void LogHeartbeatFailed(Exception exception, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Indexing a batch of {Count} photos failed; running them one by one.")]
    private partial void LogBatchFailed(Exception exception, int count);
}
