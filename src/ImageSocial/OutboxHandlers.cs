using ImageSocial.ProviderServices;

namespace ImageSocial;

/// <summary>What each outbox kind does. Every handler is idempotent: a message may run again after a crash.</summary>
internal sealed class OutboxHandlers(SdkParts parts, EmbeddingSpace space)
{
    private readonly IPhotoStore photos = parts.Photos;
    private readonly IUserStore users = parts.Users;
    private readonly IVectorIndex vectors = parts.Vectors;
    private readonly IBlobStore blobs = parts.Blobs;
    private readonly IEmbeddingEngine embeddings = parts.Embeddings;
    private readonly IFeedBuilder feed = parts.Feed;
    private readonly IOutbox outbox = parts.Outbox;

    private const int BackfillPage = 64;

    internal async Task HandleAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        // The write already invalidated the cache right after it committed; doing it again here, from the durable outbox, covers a host
        // that died between its commit and that invalidation.
        switch (message.Kind)
        {
            case OutboxKinds.PhotoUpdated or OutboxKinds.PhotoDeleted or OutboxKinds.PhotoRestored or OutboxKinds.PhotoPurged:
                await parts.Cache.PhotosChangedAsync([new PhotoId(message.Subject)]).ConfigureAwait(false);
                break;
            case OutboxKinds.UserPrivacyChanged or OutboxKinds.UserReinstated:
                await parts.Cache.UserChangedAsync(new UserId(message.Subject)).ConfigureAwait(false);
                break;
        }

        switch (message.Kind)
        {
            case OutboxKinds.PhotoCreated or OutboxKinds.PhotoRestored:
                if (await LivePhotoAsync(message, cancellationToken).ConfigureAwait(false) is { } published)
                {
                    await IndexAsync(published, cancellationToken).ConfigureAwait(false);
                    await PublishAsync(published, cancellationToken).ConfigureAwait(false);
                }

                break;
            case OutboxKinds.PhotoUpdated:
                if (await LivePhotoAsync(message, cancellationToken).ConfigureAwait(false) is { } updated)
                {
                    if (!await vectors.UpdatePayloadAsync(updated.Id.Value, await PayloadAsync(updated, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
                    {
                        await IndexAsync(updated, cancellationToken).ConfigureAwait(false);
                    }

                    await feed.OnUpdatedAsync(updated, cancellationToken).ConfigureAwait(false);
                }

                break;
            case OutboxKinds.PhotoDeleted:
                await vectors.DeleteAsync([message.Subject], cancellationToken).ConfigureAwait(false);
                if (await photos.GetAsync(new PhotoId(message.Subject), cancellationToken).ConfigureAwait(false) is { } deleted)
                {
                    await feed.OnDeletedAsync(deleted, cancellationToken).ConfigureAwait(false);
                }

                break;
            case OutboxKinds.UploadCollect:
                if (await photos.GetAsync(new PhotoId(message.Subject), cancellationToken).ConfigureAwait(false) is null)
                {
                    await PhotoBlobs.DeleteAllAsync(blobs, Owner(message), new PhotoId(message.Subject), cancellationToken).ConfigureAwait(false);
                }

                break;
            case OutboxKinds.PhotoPurged:
                await vectors.DeleteAsync([message.Subject], cancellationToken).ConfigureAwait(false);
                await PhotoBlobs.DeleteAllAsync(blobs, Owner(message), new PhotoId(message.Subject), cancellationToken).ConfigureAwait(false);

                break;
            case OutboxKinds.UserPrivacyChanged:
                await RefreshOwnerPayloadsAsync(new UserId(message.Subject), cancellationToken).ConfigureAwait(false);
                break;
            case OutboxKinds.UserReinstated:
                await RepublishOwnerAsync(new UserId(message.Subject), cancellationToken).ConfigureAwait(false);
                break;
            case OutboxKinds.VideoTranscode:
                await VideoRenditionJob.RunAsync(parts, new PhotoId(message.Subject), cancellationToken).ConfigureAwait(false);
                break;
            case OutboxKinds.FeedRebuild:
                await feed.RebuildAsync(new UserId(message.Subject), cancellationToken).ConfigureAwait(false);
                break;
            case OutboxKinds.SpaceBackfill:
                await BackfillAsync(message.Data, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"No handler for outbox kind '{message.Kind}'.");
        }
    }

    /// <summary>Indexes the photos of several photo.created / photo.restored messages with one embedding call, then fans them out; all or
    /// nothing (the caller runs the messages one by one when it fails).</summary>
    internal async Task IndexBatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var live = (await photos.GetManyAsync(messages.Select(m => new PhotoId(m.Subject)).ToList(), cancellationToken).ConfigureAwait(false))
            .Where(p => p.DeletedAt is null).ToList();
        if (live.Count > 0)
        {
            await IndexAsync(live, cancellationToken).ConfigureAwait(false);
        }

        foreach (var photo in live)
        {
            await PublishAsync(photo, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands a live photo to the feeds, then announces it to the viewers watching theirs (best effort: paging finds it anyway).</summary>
    private async Task PublishAsync(Photo photo, CancellationToken cancellationToken)
    {
        await feed.OnPublishedAsync(photo, cancellationToken).ConfigureAwait(false);
        if (photo.Visibility == Visibility.Private)
        {
            return;
        }

        try
        {
            await parts.FeedEvents.PublishAsync(new FeedAnnouncement(photo.Id, photo.OwnerId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FeedLog.PublishFailed(parts.Logger, ex);
        }
    }

    private static UserId Owner(OutboxMessage message) =>
        UserId.Parse(message.Data ?? throw new InvalidOperationException($"A {message.Kind} message carries its photo's owner."));

    private async Task<Photo?> LivePhotoAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        await photos.GetAsync(new PhotoId(message.Subject), cancellationToken).ConfigureAwait(false) is { DeletedAt: null } photo ? photo : null;

    private Task IndexAsync(Photo photo, CancellationToken cancellationToken) => IndexAsync([photo], cancellationToken);

    /// <summary>Indexes photos: vectors already stored for this space are reused; the others are embedded from the large renditions in
    /// one call (the engine batches them) and stored with their photos, which is what every other host's index catches up from.</summary>
    private async Task IndexAsync(IReadOnlyList<Photo> batch, CancellationToken cancellationToken)
    {
        var stored = (await parts.StoredEmbeddings.GetEmbeddingsAsync(space.Id, batch.Select(p => p.Id).ToList(), cancellationToken).ConfigureAwait(false))
            .ToDictionary(e => e.Photo, e => e.Vector);
        var missing = batch.Where(p => !stored.ContainsKey(p.Id)).ToList();
        if (missing.Count > 0)
        {
            var made = await EmbedAsync(missing, cancellationToken).ConfigureAwait(false);
            await parts.StoredEmbeddings.SaveEmbeddingsAsync(space.Id, missing.Select((p, i) => new PhotoEmbedding(p.Id, made[i])).ToList(), cancellationToken)
                .ConfigureAwait(false);
            for (var i = 0; i < missing.Count; i++)
            {
                stored[missing[i].Id] = made[i];
            }
        }

        var owners = await users.GetManyAsync(batch.Select(p => p.OwnerId).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        await vectors.UpsertAsync(batch.Select(p => new VectorRecord(p.Id.Value, stored[p.Id], Payload(p, owners.GetValueOrDefault(p.OwnerId)))).ToList(), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Embeds the photos' large renditions, read concurrently (network stores answer in parallel), in one engine call.</summary>
    private async Task<float[][]> EmbedAsync(IReadOnlyList<Photo> batch, CancellationToken cancellationToken)
    {
        var images = await Task.WhenAll(batch.Select(async photo =>
        {
            using var content = await blobs.GetAsync(BlobKeys.ForRendition(photo.OwnerId, photo.Id, RenditionKind.Large), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Photo {photo.Id} has no large rendition.");
            using var buffer = new MemoryStream((int)Math.Clamp(content.Length, 0, int.MaxValue));
            await content.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return (ReadOnlyMemory<byte>)buffer.ToArray();
        })).ConfigureAwait(false);

        return await embeddings.EmbedAsync(images, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of the backfill of a new embedding space; enqueues the next page, or marks the space complete.</summary>
    private async Task BackfillAsync(string? cursor, CancellationToken cancellationToken)
    {
        var page = await photos.ListAllLiveAsync(new PageRequest(cursor, BackfillPage), cancellationToken).ConfigureAwait(false);
        var stored = (await parts.StoredEmbeddings.GetEmbeddingsAsync(space.Id, page.Items.Select(p => p.Id).ToList(), cancellationToken).ConfigureAwait(false))
            .Select(e => e.Photo).ToHashSet();
        var missing = new List<Photo>();
        var copied = new List<PhotoEmbedding>();
        foreach (var photo in page.Items)
        {
            if (await vectors.GetAsync(photo.Id.Value, cancellationToken).ConfigureAwait(false) is not { } held)
            {
                missing.Add(photo);
            }
            else if (!stored.Contains(photo.Id))
            {
                // Indexed before vectors were stored: the index's own vector goes into the store, the model does not run again.
                copied.Add(new PhotoEmbedding(photo.Id, held.Vector));
            }
        }

        if (copied.Count > 0)
        {
            await parts.StoredEmbeddings.SaveEmbeddingsAsync(space.Id, copied, cancellationToken).ConfigureAwait(false);
        }

        if (missing.Count > 0)
        {
            await IndexAsync(missing, cancellationToken).ConfigureAwait(false);
        }

        await space.RecordBackfillAsync(missing.Count, complete: page.NextCursor is null, cancellationToken).ConfigureAwait(false);
        if (page.NextCursor is { } next)
        {
            await outbox.EnqueueAsync([OutboxMessage.Create(OutboxKinds.SpaceBackfill, 0, next)], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<VectorPayload> PayloadAsync(Photo photo, CancellationToken cancellationToken) =>
        Payload(photo, await users.GetAsync(photo.OwnerId, cancellationToken).ConfigureAwait(false));

    private static VectorPayload Payload(Photo photo, User? owner) => VectorPayloads.For(photo, owner);

    /// <summary>Publishes a reinstated owner's newest posts again, as many as a stored timeline holds: a timeline merged while the owner
    /// was suspended (a follow, a rebuild) left them out, and nothing else would bring them back.</summary>
    private async Task RepublishOwnerAsync(UserId owner, CancellationToken cancellationToken)
    {
        foreach (var photo in await photos.ListNewestByOwnersAsync([owner], owner, null, parts.Options.Feed.MaxItems, cancellationToken).ConfigureAwait(false))
        {
            await feed.OnUpdatedAsync(photo, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RefreshOwnerPayloadsAsync(UserId owner, CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await photos.ListByOwnerAsync(owner, owner, new PageRequest(cursor, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false);
            foreach (var photo in page.Items)
            {
                await vectors.UpdatePayloadAsync(photo.Id.Value, await PayloadAsync(photo, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }
}
