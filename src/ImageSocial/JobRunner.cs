using System.Diagnostics;
using ImageSocial.Shared.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageSocial;

/// <summary>Drains the durable outbox in process: leases due messages, runs their handlers (embedding into the vector index, feed
/// fan-out, index payload updates, blob deletion), retries failures with exponential backoff, sets a message aside as a dead letter
/// after <see cref="JobRunnerOptions.MaxAttempts"/> failures, and purges expired deleted photos.</summary>
/// <remarks>A host starts it with the application; outside a host it starts by itself on the first work enqueued
/// (<see cref="JobRunnerOptions.AutoStart"/>) and stops when the service provider is disposed. Work that was never started survives a
/// crash and runs on the next start; work a crashed process had leased runs again once its lease (<see cref="JobRunnerOptions.Lease"/>)
/// runs out.</remarks>
public sealed partial class JobRunner : IHostedService, IAsyncDisposable, IDisposable
{
    private const int BatchSize = 16;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(50);
    private readonly SdkParts parts;
    private readonly OutboxHandlers handlers;
    private readonly ImageSocialService service;
    private readonly EmbeddingSpace space;
    private readonly JobRunnerOptions options;
    private readonly ILogger<JobRunner> logger;
    private readonly SemaphoreSlim signal = new(0, 1);
    private readonly Lock gate = new();
    private CancellationTokenSource? stopping;
    private Task loop = Task.CompletedTask;
    private bool disposed;

    internal JobRunner(ImageSocialService service, OutboxHandlers handlers, EmbeddingSpace space, ILogger<JobRunner> logger)
    {
        (this.service, this.handlers, this.space, this.logger) = (service, handlers, space, logger);
        parts = service.Parts;
        options = parts.Options.Jobs;
        parts.WorkEnqueued += OnWorkEnqueued;
        CoreTelemetry.Track(this);
    }

    /// <summary>The outbox statistics last read for the gauges, and when.</summary>
    internal OutboxStats? LastStats { get; private set; }

    internal DateTimeOffset LastStatsAt { get; private set; }

    /// <summary>Whether the background loop is running in this process.</summary>
    public bool IsRunning
    {
        get
        {
            lock (gate)
            {
                return stopping is not null && !loop.IsCompleted;
            }
        }
    }

    /// <summary>Runs every message that is due now, including those whose lease has run out, here and now, until none is left.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many messages completed.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var completed = 0;
        while (true)
        {
            var now = parts.Time.GetUtcNow();
            var batch = await parts.Outbox.ClaimAsync(BatchSize, now, now + options.Lease, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return completed;
            }

            foreach (var message in batch)
            {
                if (await RunOneAsync(message, cancellationToken).ConfigureAwait(false))
                {
                    completed++;
                }
            }
        }
    }

    /// <summary>Waits until no outbox message is due or being worked on (messages waiting for a retry later do not count), running the
    /// due work here when no runner is running in this process. For scripts and tests that want to read the results of background
    /// work (a photo's embedding) right after the write that caused it.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public async Task WaitUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (!IsRunning)
            {
                await RunDueAsync(cancellationToken).ConfigureAwait(false);
            }

            var stats = await parts.Outbox.GetStatsAsync(parts.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (stats.Due == 0 && stats.InFlight == 0)
            {
                return;
            }

            await Task.Delay(IdlePoll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the background loop unless <see cref="JobRunnerOptions.Enabled"/> is off; idempotent.</summary>
    /// <param name="cancellationToken">Not used: starting does not wait.</param>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Enabled)
        {
            EnsureStarted();
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops the background loop and waits for the message in hand to finish or observe the cancellation.</summary>
    /// <param name="cancellationToken">Stops waiting (the loop still stops).</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task running;
        lock (gate)
        {
            stopping?.Cancel();
            running = loop;
        }

        await running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (MarkDisposed())
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (MarkDisposed())
        {
            Task running;
            lock (gate)
            {
                stopping?.Cancel();
                running = loop;
            }

            // A synchronous dispose (a `using` of the service provider) must not return while the loop still uses the stores.
            try
            {
                running.Wait(TimeSpan.FromSeconds(30));
            }
            catch (AggregateException)
            {
                // The loop logs its own failures.
            }

            Release();
        }
    }

    /// <summary>Queues the backfill of this host's embedding space when the store says it has not finished (a new install or another model).</summary>
    internal async Task<bool> StartBackfillIfNeededAsync(CancellationToken cancellationToken = default)
    {
        if (!await space.RegisterAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await parts.Outbox.EnqueueAsync([OutboxMessage.Create(OutboxKinds.SpaceBackfill, 0)], cancellationToken).ConfigureAwait(false);
        return true;
    }

    private bool MarkDisposed()
    {
        lock (gate)
        {
            if (disposed)
            {
                return false;
            }

            disposed = true;
            return true;
        }
    }

    private void Release()
    {
        parts.WorkEnqueued -= OnWorkEnqueued;
        CoreTelemetry.Untrack(this);
        // The stop source is not disposed: a host may still call StopAsync after the provider disposed the runner, and a source without
        // a timer holds nothing to release.
        signal.Dispose();
    }

    private void OnWorkEnqueued()
    {
        if (options.Enabled && options.AutoStart)
        {
            EnsureStarted();
        }

        Wake();
    }

    private void Wake()
    {
        try
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already signalled, or shutting down.
        }
    }

    private void EnsureStarted()
    {
        lock (gate)
        {
            if (disposed || (stopping is not null && !loop.IsCompleted))
            {
                return;
            }

            stopping = new CancellationTokenSource();
            var token = stopping.Token;
            loop = Task.Run(() => LoopAsync(token), CancellationToken.None);
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        var backfillQueued = false;
        var nextPurge = parts.Time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!backfillQueued)
                {
                    await StartBackfillIfNeededAsync(stoppingToken).ConfigureAwait(false);
                    backfillQueued = true;
                }

                if (parts.Time.GetUtcNow() >= nextPurge)
                {
                    await service.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
                    nextPurge = parts.Time.GetUtcNow() + options.PurgeInterval;
                }

                await RunDueAsync(stoppingToken).ConfigureAwait(false);
                await RefreshStatsAsync(stoppingToken).ConfigureAwait(false);
                await signal.WaitAsync(options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The store is unreachable: log and keep polling; a running host never crashes for this.
                LogLoopFailed(ex);
                try
                {
                    await Task.Delay(options.PollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task RefreshStatsAsync(CancellationToken cancellationToken)
    {
        if (CoreTelemetry.OutboxObserved)
        {
            var now = parts.Time.GetUtcNow();
            LastStats = await parts.Outbox.GetStatsAsync(now, cancellationToken).ConfigureAwait(false);
            LastStatsAt = now;
        }
    }

    private async Task<bool> RunOneAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var activity = CoreTelemetry.Source.StartActivity("OutboxJob " + message.Kind, ActivityKind.Consumer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("imagesocial.outbox.kind", message.Kind);
            activity.SetTag("imagesocial.outbox.attempt", message.Attempts + 1);
            activity.SetTag(Operations.SubjectTag, message.Subject);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await handlers.HandleAsync(message, cancellationToken).ConfigureAwait(false);
            await parts.Outbox.CompleteAsync(message.Id, cancellationToken).ConfigureAwait(false);
            RecordJob(message.Kind, "ok", started);
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
                RecordJob(message.Kind, "dead_letter", started);
                return false;
            }

            var delay = TimeSpan.FromTicks(Math.Min(options.MaxRetryDelay.Ticks, options.InitialRetryDelay.Ticks << Math.Min(message.Attempts, 30)));
            LogHandlerFailed(ex, message.Kind, message.Subject, attempt, delay);
            await parts.Outbox.RetryLaterAsync(message.Id, parts.Time.GetUtcNow() + delay, ex.Message, cancellationToken).ConfigureAwait(false);
            CoreTelemetry.JobRetries.Add(1, new KeyValuePair<string, object?>("imagesocial.outbox.kind", message.Kind));
            RecordJob(message.Kind, "retry", started);
            return false;
        }
    }

    private static void RecordJob(string kind, string outcome, long started)
    {
        if (CoreTelemetry.JobDuration.Enabled)
        {
            CoreTelemetry.JobDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("imagesocial.outbox.kind", kind), new KeyValuePair<string, object?>("imagesocial.outcome", outcome));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Outbox {Kind} for {Subject} failed (attempt {Attempt}); retrying in {Delay}.")]
    private partial void LogHandlerFailed(Exception exception, string kind, long subject, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The job runner could not reach the outbox; it keeps trying.")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Outbox {Kind} for {Subject} failed {Attempt} times and was set aside as a dead letter.")]
    private partial void LogDeadLettered(Exception exception, string kind, long subject, int attempt);
}
