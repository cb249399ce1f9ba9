using System.Diagnostics;
using ImageSocial.Shared.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageSocial;

/// <summary>Drains the durable outbox: takes due messages through the <see cref="IJobQueue"/> (straight from the outbox by default; through
/// Redis with <c>AddRedisJobs()</c>), runs their handlers (embedding into the vector index in batches, feed fan-out, index payload
/// updates, blob deletion) on <see cref="JobRunnerOptions.Concurrency"/> workers, retries failures with exponential backoff, sets a message
/// aside as a dead letter after <see cref="JobRunnerOptions.MaxAttempts"/> failures, and purges expired deleted photos.</summary>
/// <remarks>A host starts it with the application; outside a host it starts by itself on the first work enqueued
/// (<see cref="JobRunnerOptions.AutoStart"/>) and stops when the service provider is disposed. A message is leased to its runner for
/// <see cref="JobRunnerOptions.Lease"/> and the lease is renewed while the runner works on it, so a crashed host's messages are taken over
/// seconds later; a restarted host (same <see cref="JobRunnerOptions.Name"/>) takes its previous incarnation's messages back at once.</remarks>
public sealed partial class JobRunner : IHostedService, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(50);
    private readonly SdkParts parts;
    private readonly OutboxHandlers handlers;
    private readonly ImageSocialService service;
    private readonly EmbeddingSpace space;
    private readonly JobRunnerOptions options;
    private readonly IJobQueue queue;
    private readonly ILogger<JobRunner> logger;
    private readonly Lock gate = new();
    private CancellationTokenSource? stopping;
    private Task loop = Task.CompletedTask;
    private bool disposed;

    internal JobRunner(ImageSocialService service, OutboxHandlers handlers, EmbeddingSpace space, IJobQueue queue, ILogger<JobRunner> logger)
    {
        (this.service, this.handlers, this.space, this.queue, this.logger) = (service, handlers, space, queue, logger);
        parts = service.Parts;
        options = parts.Options.Jobs;
        Name = options.Name is { Length: > 0 } name ? name : $"{Environment.MachineName}/node-{parts.Options.IdNode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "single"}";
        parts.WorkEnqueued += OnWorkEnqueued;
        CoreTelemetry.Track(this);
    }

    /// <summary>This runner's name in the outbox's leases (<see cref="JobRunnerOptions.Name"/>, or its default).</summary>
    public string Name { get; }

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

    /// <summary>Runs every message that is due now, including those whose lease has run out, here and now, until none is left. It claims
    /// straight from the outbox, whatever the job queue.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many messages completed.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var completed = 0;
        while (true)
        {
            var now = parts.Time.GetUtcNow();
            var batch = await parts.Outbox.ClaimAsync(Name, options.BatchSize, now, now + options.Lease, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return completed;
            }

            completed += await ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
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
        // A deployment upgraded from before embeddings were stored has vectors only in its hosts' indexes: the backfill runs once more
        // and copies them into the store (no model runs), so that other hosts and rebuilds have them.
        var unstored = (await parts.StoredEmbeddings.ListEmbeddingsAsync(space.Id, new PageRequest(null, 1), cancellationToken).ConfigureAwait(false)).Items.Count == 0
            && await parts.Vectors.CountAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (!await space.RegisterAsync(cancellationToken).ConfigureAwait(false) && !unstored)
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
    }

    private void OnWorkEnqueued()
    {
        if (options.Enabled && options.AutoStart)
        {
            EnsureStarted();
        }

        queue.Notify();
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
        if (!await StartQueueAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)).ToList();
        await HousekeepAsync(stoppingToken).ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>Tells the queue this runner started (its previous incarnation's claims come back), retrying until it answers.</summary>
    private async Task<bool> StartQueueAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await queue.StartAsync(Name, stoppingToken).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
                if (!await PauseAsync(stoppingToken).ConfigureAwait(false))
                {
                    return false;
                }
            }
        }
    }

    /// <summary>One worker: takes a batch, runs it, tells the queue; sleeps until woken or the poll interval when there is nothing.</summary>
    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await queue.TakeAsync(Name, options.BatchSize, parts.Time.GetUtcNow() + options.Lease, stoppingToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    await queue.WaitAsync(options.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await ProcessAsync(batch, stoppingToken).ConfigureAwait(false);
                await queue.FinishAsync(Name, batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The store or the queue is unreachable: log and keep polling; a running host never crashes for this.
                LogLoopFailed(ex);
                if (!await PauseAsync(stoppingToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
    }

    /// <summary>The backfill of a new embedding space (once), the purge of expired deleted photos, and the gauges' statistics.</summary>
    private async Task HousekeepAsync(CancellationToken stoppingToken)
    {
        var backfillQueued = false;
        var nextPurge = parts.Time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!backfillQueued)
                {
                    if (await StartBackfillIfNeededAsync(stoppingToken).ConfigureAwait(false))
                    {
                        queue.Notify();
                    }

                    backfillQueued = true;
                }

                if (parts.Time.GetUtcNow() >= nextPurge)
                {
                    await service.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
                    nextPurge = parts.Time.GetUtcNow() + options.PurgeInterval;
                }

                await RefreshStatsAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
                if (!await PauseAsync(stoppingToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
    }

    private async Task<bool> PauseAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.PollInterval, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Outbox {Kind} for {Subject} failed (attempt {Attempt}); retrying in {Delay}.")]
    private partial void LogHandlerFailed(Exception exception, string kind, long subject, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The job runner could not reach the outbox; it keeps trying.")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Outbox {Kind} for {Subject} failed {Attempt} times and was set aside as a dead letter.")]
    private partial void LogDeadLettered(Exception exception, string kind, long subject, int attempt);
}
