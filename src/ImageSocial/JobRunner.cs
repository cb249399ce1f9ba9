using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageSocial;

/// <summary>Drains the durable outbox in process: leases due messages, runs their handlers, retries failures with exponential backoff,
/// and purges expired deleted photos. Work that was never started survives a crash and runs on the next start; work a crashed
/// process had leased runs again once its lease (<see cref="JobRunnerOptions.Lease"/>) runs out.</summary>
public sealed partial class JobRunner : BackgroundService
{
    private const int BatchSize = 16;
    private readonly IOutbox outbox;
    private readonly OutboxHandlers handlers;
    private readonly ImageSocialService service;
    private readonly EmbeddingSpace space;
    private readonly TimeProvider time;
    private readonly JobRunnerOptions options;
    private readonly ILogger<JobRunner> logger;
    private readonly SemaphoreSlim signal = new(0);

    internal JobRunner(IOutbox outbox, OutboxHandlers handlers, ImageSocialService service, EmbeddingSpace space, TimeProvider time, IOptions<ImageSocialOptions> options,
        ILogger<JobRunner> logger)
    {
        (this.outbox, this.handlers, this.service, this.space, this.time, this.options, this.logger) = (outbox, handlers, service, space, time, options.Value.Jobs, logger);
        service.WorkEnqueued += () => signal.Release();
    }

    /// <summary>Runs every message that is due now, including those whose lease has run out, until none is left.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many messages completed.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var completed = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            var batch = await outbox.ClaimAsync(BatchSize, now, now + options.Lease, cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc />
    public override void Dispose()
    {
        signal.Dispose();
        base.Dispose();
    }

    /// <summary>Queues the backfill of the embedding space when it has not completed (a new install or another model).</summary>
    internal async Task<bool> StartBackfillIfNeededAsync(CancellationToken cancellationToken = default)
    {
        if (space.IsComplete)
        {
            return false;
        }

        await outbox.EnqueueAsync([OutboxMessage.Create(OutboxKinds.SpaceBackfill, 0)], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        await StartBackfillIfNeededAsync(stoppingToken).ConfigureAwait(false);
        var nextPurge = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextPurge)
                {
                    await service.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
                    nextPurge = time.GetUtcNow() + options.PurgeInterval;
                }

                await RunDueAsync(stoppingToken).ConfigureAwait(false);
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
                await Task.Delay(options.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> RunOneAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await handlers.HandleAsync(message, cancellationToken).ConfigureAwait(false);
            await outbox.CompleteAsync(message.Id, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var delay = TimeSpan.FromTicks(Math.Min(options.MaxRetryDelay.Ticks, options.InitialRetryDelay.Ticks << Math.Min(message.Attempts, 30)));
            LogHandlerFailed(ex, message.Kind, message.Subject, message.Attempts + 1, delay);
            await outbox.RetryLaterAsync(message.Id, time.GetUtcNow() + delay, ex.Message, cancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Outbox {Kind} for {Subject} failed (attempt {Attempt}); retrying in {Delay}.")]
    private partial void LogHandlerFailed(Exception exception, string kind, long subject, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The job runner could not reach the outbox; it keeps trying.")]
    private partial void LogLoopFailed(Exception exception);
}
