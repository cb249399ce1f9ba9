using ImageSocial.Caching;
using Microsoft.Extensions.Logging;

namespace ImageSocial;

/// <summary>Everything the SDK's operations run on: the providers' contracts and the core's own services.</summary>
internal sealed record SdkParts(IUserStore Users, ISocialGraph Graph, IPhotoStore Photos, IInteractionStore Interactions, IBlobStore Blobs, IOutbox Outbox,
    IVectorIndex Vectors, IFeedBuilder Feed, IImageCodec Codec, IEmbeddingEngine Embeddings, IShardMap Shards, IdGenerator Ids, TimeProvider Time,
    ImageSocialOptions Options, ILogger Logger, ImageWork Images, ReadCache Cache, IEmbeddingStore StoredEmbeddings, IPhotoChangeFeed Changes,
    IFeedEventBus FeedEvents, IVideoProcessor? Videos, IModerationStore Moderation)
{
    private FeedWatchers? watchers;

    /// <summary>The viewers of this process watching their feed (created on first use: most processes have none).</summary>
    internal FeedWatchers Watchers => LazyInitializer.EnsureInitialized(ref watchers, () => new FeedWatchers(this, FeedEvents));

    internal ValueTask DisposeWatchersAsync() => watchers?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Raised after a write enqueued follow-up work, so that the job runner can start at once.</summary>
    internal event Action? WorkEnqueued;

    internal void NotifyWorkEnqueued() => WorkEnqueued?.Invoke();

    /// <summary>Stores follow-up work outside any other change and tells the job runner.</summary>
    internal async Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        await Outbox.EnqueueAsync([message], cancellationToken).ConfigureAwait(false);
        NotifyWorkEnqueued();
    }
}
