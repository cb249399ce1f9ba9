using Microsoft.Extensions.Logging;

namespace ImageSocial;

/// <summary>The embedding space this host embeds into (its engine's model), as recorded in the metadata store: a new model is a new,
/// empty space that the backfill job fills, and every host sees the same registration and progress.</summary>
internal sealed partial class EmbeddingSpace(IEmbeddingEngine engine, IEmbeddingSpaceStore store, TimeProvider time, ILogger<EmbeddingSpace> logger)
{
    /// <summary>The space's id: the engine's model id.</summary>
    public string Id => engine.ModelId;

    /// <summary>Registers this host's space with the store (idempotent) and says whether its backfill is still to do.</summary>
    public async Task<bool> RegisterAsync(CancellationToken cancellationToken)
    {
        var state = await store.RegisterSpaceAsync(engine.ModelId, engine.Dimension, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!state.IsCurrent)
        {
            var current = (await store.ListSpacesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.IsCurrent);
            LogNotCurrent(engine.ModelId, current?.Id ?? "(none)");
        }

        return !state.IsBackfilled;
    }

    /// <summary>Adds to the backfill's count of embedded photos, and marks it finished when <paramref name="complete"/>.</summary>
    public Task RecordBackfillAsync(long embedded, bool complete, CancellationToken cancellationToken) =>
        store.RecordBackfillAsync(engine.ModelId, embedded, complete ? time.GetUtcNow() : null, cancellationToken);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "This host embeds with model '{Model}', but the deployment's current embedding space is '{Current}': its similar searches see only photos embedded in '{Model}'.")]
    private partial void LogNotCurrent(string model, string current);
}
