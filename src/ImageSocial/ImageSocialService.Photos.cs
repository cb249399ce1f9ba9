using Microsoft.Extensions.Logging;

namespace ImageSocial;

public sealed partial class ImageSocialService
{
    /// <summary>Uploads a photo: probe, id, renditions, blobs, then metadata and its follow-up work in one transaction.</summary>
    /// <param name="owner">The uploader.</param>
    /// <param name="image">The encoded image.</param>
    /// <param name="draft">Title, tags and visibility.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="InputTooLargeException">The upload or its pixel count is over the limit.</exception>
    /// <exception cref="UnsupportedImageFormatException">The bytes are not an accepted image.</exception>
    /// <exception cref="ImageDecodeException">The image cannot be decoded.</exception>
    /// <exception cref="ValidationException">The title or tags are not valid.</exception>
    /// <exception cref="NotFoundException">The owner does not exist.</exception>
    public async Task<Photo> UploadPhotoAsync(UserId owner, ReadOnlyMemory<byte> image, PhotoDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (image.Length > options.MaxUploadBytes)
        {
            throw new InputTooLargeException($"The upload is {image.Length} bytes; the limit is {options.MaxUploadBytes}.");
        }

        var title = InputRules.Text(draft.Title, "title", options.MaxTitleLength, allowEmpty: true);
        var tags = InputRules.Tags(draft.Tags, options.MaxTags);
        var visibility = Enum.IsDefined(draft.Visibility) ? draft.Visibility : throw new ValidationException("Unknown visibility.") { ParameterName = "visibility" };
        await GetUserAsync(owner, cancellationToken).ConfigureAwait(false);

        var info = codec.Probe(image);
        var renditions = codec.CreateRenditions(image, RenditionSpec.Standard, cancellationToken);
        var photo = new Photo
        {
            Id = new PhotoId(ids.Next(owner.LogicalShard)),
            OwnerId = owner,
            Title = title,
            Tags = tags,
            Visibility = visibility,
            Image = info,
            RenditionContentType = renditions[0].ContentType,
            OriginalBytes = image.Length,
        };

        // Blobs first: a crash before the metadata commit leaves only unreferenced blobs, which garbage collection removes.
        await blobs.PutAsync(BlobKeys.ForRendition(owner, photo.Id, RenditionKind.Original), image, info.ContentType, cancellationToken).ConfigureAwait(false);
        foreach (var rendition in renditions)
        {
            await blobs.PutAsync(BlobKeys.ForRendition(owner, photo.Id, rendition.Kind), rendition.Data, rendition.ContentType, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await photos.CreateAsync(photo, [OutboxMessage.Create(OutboxKinds.PhotoCreated, photo.Id.Value)], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await PhotoBlobs.DeleteAllAsync(blobs, owner, photo.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        WorkEnqueued?.Invoke();
        return photo;
    }

    /// <summary>Gets a photo the viewer may see; its owner also gets it while it is deleted (with <see cref="Photo.DeletedAt"/> set).</summary>
    /// <param name="id">The photo.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the viewer may not see it.</exception>
    public async Task<Photo> GetPhotoAsync(PhotoId id, UserId viewer, CancellationToken cancellationToken = default)
    {
        var visible = await photos.GetVisibleAsync([id], viewer, cancellationToken).ConfigureAwait(false);
        if (visible.Count == 1)
        {
            return visible[0];
        }

        var own = await photos.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return own is not null && own.OwnerId == viewer ? own : throw PhotoNotFound(id);
    }

    /// <summary>Opens a rendition (or, for its owner only, the original) of a photo the viewer may see. The caller disposes it.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="kind">Which rendition.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the viewer may not see it.</exception>
    public async Task<BlobContent> OpenContentAsync(PhotoId id, RenditionKind kind, UserId viewer, CancellationToken cancellationToken = default)
    {
        var key = await ContentKeyAsync(id, kind, viewer, cancellationToken).ConfigureAwait(false);
        return await blobs.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw PhotoNotFound(id);
    }

    /// <summary>A short-lived URL for a rendition of a photo the viewer may see (the original for its owner only).</summary>
    /// <param name="id">The photo.</param>
    /// <param name="kind">Which rendition.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the viewer may not see it.</exception>
    public async Task<Uri> GetContentUrlAsync(PhotoId id, RenditionKind kind, UserId viewer, CancellationToken cancellationToken = default)
    {
        var key = await ContentKeyAsync(id, kind, viewer, cancellationToken).ConfigureAwait(false);
        return await blobs.GetReadUrlAsync(key, options.ContentUrlLifetime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a photo's title, tags or visibility; owner only.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="actor">Who asks; must be the owner.</param>
    /// <param name="update">The changes.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist, is deleted, or the actor is not the owner.</exception>
    public async Task<Photo> UpdatePhotoAsync(PhotoId id, UserId actor, PhotoUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var clean = new PhotoUpdate(
            update.Title is null ? null : InputRules.Text(update.Title, "title", options.MaxTitleLength, allowEmpty: true),
            update.Tags is null ? null : InputRules.Tags(update.Tags, options.MaxTags),
            update.Visibility is { } v && !Enum.IsDefined(v) ? throw new ValidationException("Unknown visibility.") { ParameterName = "visibility" } : update.Visibility);
        await OwnedLivePhotoAsync(id, actor, cancellationToken).ConfigureAwait(false);
        var updated = await photos.UpdateAsync(id, clean, [OutboxMessage.Create(OutboxKinds.PhotoUpdated, id.Value)], cancellationToken).ConfigureAwait(false)
            ?? throw PhotoNotFound(id);
        WorkEnqueued?.Invoke();
        return updated;
    }

    /// <summary>Soft-deletes a photo; owner only. It stays restorable for <see cref="ImageSocialOptions.DeletedRetention"/>.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="actor">Who asks; must be the owner.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist, is already deleted, or the actor is not the owner.</exception>
    public async Task DeletePhotoAsync(PhotoId id, UserId actor, CancellationToken cancellationToken = default)
    {
        await OwnedLivePhotoAsync(id, actor, cancellationToken).ConfigureAwait(false);
        if (!await photos.SoftDeleteAsync(id, time.GetUtcNow(), [OutboxMessage.Create(OutboxKinds.PhotoDeleted, id.Value)], cancellationToken).ConfigureAwait(false))
        {
            throw PhotoNotFound(id);
        }

        WorkEnqueued?.Invoke();
    }

    /// <summary>Restores a soft-deleted photo within the retention window; owner only.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="actor">Who asks; must be the owner.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist, is not deleted, or the actor is not the owner.</exception>
    /// <exception cref="RetentionExpiredException">The retention window has passed.</exception>
    public async Task<Photo> RestorePhotoAsync(PhotoId id, UserId actor, CancellationToken cancellationToken = default)
    {
        var photo = await photos.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (photo is null || photo.OwnerId != actor || photo.DeletedAt is not { } deletedAt)
        {
            throw PhotoNotFound(id);
        }

        if (time.GetUtcNow() - deletedAt > options.DeletedRetention)
        {
            throw new RetentionExpiredException($"Photo {id} was deleted more than {options.DeletedRetention.TotalDays:0.#} days ago.");
        }

        if (!await photos.RestoreAsync(id, [OutboxMessage.Create(OutboxKinds.PhotoRestored, id.Value)], cancellationToken).ConfigureAwait(false))
        {
            throw PhotoNotFound(id);
        }

        WorkEnqueued?.Invoke();
        return photo with { DeletedAt = null };
    }

    /// <summary>The owner's deleted photos that can still be restored.</summary>
    /// <param name="owner">The owner (the only one who may list them).</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<Photo>> ListTrashAsync(UserId owner, PageRequest page, CancellationToken cancellationToken = default) =>
        photos.ListTrashAsync(owner, page, cancellationToken);

    /// <summary>Purges photos deleted longer ago than the retention window; their blobs and vectors go in the background.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many photos were purged.</returns>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var purged = await photos.PurgeDeletedAsync(time.GetUtcNow() - options.DeletedRetention, 200, cancellationToken).ConfigureAwait(false);
            total += purged.Count;
            if (purged.Count < 200)
            {
                break;
            }
        }

        if (total > 0)
        {
            logger.LogInformation("Purged {Count} photos past their retention window.", total);
            WorkEnqueued?.Invoke();
        }

        return total;
    }

    /// <summary>A user's photos that the viewer may see, newest first.</summary>
    /// <param name="owner">Whose photos.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<Photo>> ListUserPhotosAsync(UserId owner, UserId viewer, PageRequest page, CancellationToken cancellationToken = default) =>
        photos.ListByOwnerAsync(owner, viewer, page, cancellationToken);

    private async Task<string> ContentKeyAsync(PhotoId id, RenditionKind kind, UserId viewer, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ValidationException("Unknown rendition.") { ParameterName = nameof(kind) };
        }

        var photo = await GetPhotoAsync(id, viewer, cancellationToken).ConfigureAwait(false);
        return kind == RenditionKind.Original && photo.OwnerId != viewer
            ? throw PhotoNotFound(id)
            : BlobKeys.ForRendition(photo.OwnerId, photo.Id, kind);
    }

    private async Task<Photo> OwnedLivePhotoAsync(PhotoId id, UserId actor, CancellationToken cancellationToken)
    {
        var photo = await photos.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return photo is not null && photo.OwnerId == actor && photo.DeletedAt is null ? photo : throw PhotoNotFound(id);
    }

    private static NotFoundException PhotoNotFound(PhotoId id) => new($"Photo {id} does not exist.");
}
