using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageSocial;

/// <summary>Keeps this host's vector index a projection of the metadata store: follows the store's <see cref="IPhotoChangeFeed"/> and
/// applies each changed photo's current state (its stored embedding and the facts its payload filters on), so that photos indexed,
/// edited or deleted through any host reach this host's similar search; and rebuilds the index from the stored embeddings without
/// running the model (<see cref="RebuildAsync"/>).</summary>
/// <remarks>A change only names a photo; the photo, its embedding and its owner are read again when it is applied, so a change applied
/// twice or after a later one still leaves the index right. The feed position is kept with the index
/// (<see cref="IVectorIndexCheckpoint"/>) when the index can, so a restarted host goes on where its index is. Similar results are
/// always re-checked against the store's visibility rule when they are read, so an index that lags can never show too much.</remarks>
public sealed partial class IndexCatchUp : IHostedService, IAsyncDisposable, IDisposable
{
    private const string Checkpoint = "change-feed";
    private readonly SdkParts parts;
    private readonly EmbeddingSpace space;
    private readonly IndexSyncOptions options;
    private readonly ILogger<IndexCatchUp> logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Lock loopGate = new();
    private CancellationTokenSource? stopping;
    private Task loop = Task.CompletedTask;
    private string? position;
    private bool positionLoaded;

    internal IndexCatchUp(SdkParts parts, EmbeddingSpace space, ILogger<IndexCatchUp> logger)
    {
        (this.parts, this.space, this.logger) = (parts, space, logger);
        options = parts.Options.IndexSync;
    }

    /// <summary>Applies every change readable now, then returns.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many changes were applied.</returns>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var applied = 0;
        while (true)
        {
            var step = await StepAsync(cancellationToken).ConfigureAwait(false);
            if (step == 0)
            {
                return applied;
            }

            applied += step;
        }
    }

    /// <summary>Loads every stored embedding of this host's embedding space into the index (live photos with their current payloads;
    /// vectors of photos gone or deleted are removed), then follows the change feed from the point the rebuild started at. Runs no model.</summary>
    /// <param name="progress">Receives the count of vectors loaded after each page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many vectors were loaded and how long it took.</returns>
    public async Task<IndexRebuildReport> RebuildAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RebuildHeldAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The rebuild, with the gate already held.</summary>
    private async Task<IndexRebuildReport> RebuildHeldAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Changes made while the rebuild runs are after this head, so the feed brings them in afterwards (again, harmlessly).
        var head = await parts.Changes.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        long loaded = 0;
        string? cursor = null;
        do
        {
            var page = await parts.StoredEmbeddings.ListEmbeddingsAsync(space.Id, new PageRequest(cursor, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false);
            loaded += await ApplyAsync(page.Items.Select(e => e.Photo).ToList(), page.Items, cancellationToken).ConfigureAwait(false);
            progress?.Report(loaded);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        await SavePositionAsync(head, cancellationToken).ConfigureAwait(false);
        return new IndexRebuildReport(space.Id, loaded, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Starts following the feed in the background unless <see cref="IndexSyncOptions.Enabled"/> is off; idempotent.</summary>
    /// <param name="cancellationToken">Not used: starting does not wait.</param>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (loopGate)
        {
            if (options.Enabled && (stopping is null || loop.IsCompleted))
            {
                stopping = new CancellationTokenSource();
                var token = stopping.Token;
                loop = Task.Run(() => FollowAsync(token), CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops following the feed and waits for the batch in hand.</summary>
    /// <param name="cancellationToken">Stops waiting (the loop still stops).</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task running;
        lock (loopGate)
        {
            stopping?.Cancel();
            running = loop;
        }

        await running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <inheritdoc />
    public void Dispose()
    {
        Task running;
        lock (loopGate)
        {
            stopping?.Cancel();
            running = loop;
        }

        // A synchronous dispose (a `using` of the service provider) must not return while the loop still uses the index.
        try
        {
            running.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // The loop logs its own failures.
        }
    }

    private async Task FollowAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await StepAsync(stop).ConfigureAwait(false) == 0)
                {
                    await Task.Delay(options.PollInterval, parts.Time, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store or the index is unreachable: keep the position and try again; a running host never stops for this.
                LogFailed(ex);
                try
                {
                    await Task.Delay(options.PollInterval, parts.Time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Reads one page of the feed after the saved position, applies it and saves the new position.</summary>
    private async Task<int> StepAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!positionLoaded)
            {
                position = parts.Vectors is IVectorIndexCheckpoint checkpoints
                    ? await checkpoints.GetCheckpointAsync(Checkpoint, cancellationToken).ConfigureAwait(false)
                    : null;
                positionLoaded = true;
            }

            PhotoChanges page;
            try
            {
                page = await parts.Changes.ReadChangesAsync(position, options.BatchSize, cancellationToken).ConfigureAwait(false);
            }
            catch (ChangeFeedPositionExpiredException ex)
            {
                // Down longer than the feed's retention: changes this index never saw are gone, so reload it from the stored embeddings.
                LogReload(logger, space.Id, ex.Message);
                return (int)Math.Min(int.MaxValue, (await RebuildHeldAsync(null, cancellationToken).ConfigureAwait(false)).Vectors);
            }

            if (page.Photos.Count > 0)
            {
                var photos = page.Photos.Distinct().ToList();
                var stored = await parts.StoredEmbeddings.GetEmbeddingsAsync(space.Id, photos, cancellationToken).ConfigureAwait(false);
                await ApplyAsync(photos, stored, cancellationToken).ConfigureAwait(false);
            }

            if (page.Position != position)
            {
                await SavePositionAsync(page.Position, cancellationToken).ConfigureAwait(false);
            }

            return page.Photos.Count;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Brings the index in line with the photos' current state: live photos with a stored vector are upserted (or get a fresh
    /// payload when the index already holds that vector); photos gone or deleted leave the index.</summary>
    /// <returns>How many vectors were written.</returns>
    private async Task<int> ApplyAsync(IReadOnlyList<PhotoId> ids, IReadOnlyList<PhotoEmbedding> stored, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        var photos = (await parts.Photos.GetManyAsync(ids, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id);
        var owners = await parts.Users.GetManyAsync(photos.Values.Select(p => p.OwnerId).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        var vectors = stored.ToDictionary(e => e.Photo, e => e.Vector);
        var upserts = new List<VectorRecord>();
        var gone = new List<long>();
        foreach (var id in ids)
        {
            if (!photos.TryGetValue(id, out var photo) || photo.DeletedAt is not null)
            {
                gone.Add(id.Value);
                continue;
            }

            var payload = VectorPayloads.For(photo, owners.GetValueOrDefault(photo.OwnerId));
            if (!vectors.TryGetValue(id, out var vector))
            {
                // Not embedded yet (its job will store the vector, which is a change of its own), or indexed before vectors were stored.
                await parts.Vectors.UpdatePayloadAsync(id.Value, payload, cancellationToken).ConfigureAwait(false);
            }
            else if (await parts.Vectors.GetAsync(id.Value, cancellationToken).ConfigureAwait(false) is { } held && held.Vector.Span.SequenceEqual(vector.Span))
            {
                // Already here (this host's own job put it in): only the payload can have changed.
                await parts.Vectors.UpdatePayloadAsync(id.Value, payload, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                upserts.Add(new VectorRecord(id.Value, vector, payload));
            }
        }

        if (upserts.Count > 0)
        {
            await parts.Vectors.UpsertAsync(upserts, cancellationToken).ConfigureAwait(false);
        }

        if (gone.Count > 0)
        {
            await parts.Vectors.DeleteAsync(gone, cancellationToken).ConfigureAwait(false);
        }

        return upserts.Count;
    }

    private async Task SavePositionAsync(string next, CancellationToken cancellationToken)
    {
        if (parts.Vectors is IVectorIndexCheckpoint checkpoints)
        {
            await checkpoints.SetCheckpointAsync(Checkpoint, next, cancellationToken).ConfigureAwait(false);
        }

        position = next;
        positionLoaded = true;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The vector index of space {Space} is further behind than the change feed keeps ({Reason}); reloading it from the stored embeddings.")]
    private static partial void LogReload(ILogger logger, string space, string reason);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The vector index could not follow the store's changes; retrying.")]
    private partial void LogFailed(Exception exception);
}

/// <summary>What <see cref="IndexCatchUp.RebuildAsync"/> did.</summary>
/// <param name="Space">The embedding space rebuilt.</param>
/// <param name="Vectors">Vectors written to the index.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record IndexRebuildReport(string Space, long Vectors, TimeSpan Elapsed);
