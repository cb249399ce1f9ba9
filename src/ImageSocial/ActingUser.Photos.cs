using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ImageSocial.ProviderServices;

namespace ImageSocial;

public sealed partial class ActingUser
{
    /// <summary>Uploads a photo as the acting user: probe, id, renditions, blobs, then the metadata and its follow-up work (embedding,
    /// feed fan-out) in one transaction. The follow-up work runs in the background (see <see cref="JobRunner"/>).</summary>
    /// <param name="image">The encoded image.</param>
    /// <param name="draft">Title, tags and visibility.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="InputTooLargeException">The upload or its pixel count is over the limit.</exception>
    /// <exception cref="UnsupportedImageFormatException">The bytes are not an accepted image.</exception>
    /// <exception cref="ImageDecodeException">The image cannot be decoded.</exception>
    /// <exception cref="ValidationException">The title or tags are not valid.</exception>
    /// <exception cref="NotFoundException">The acting user does not exist.</exception>
    public Task<Photo> UploadPhotoAsync(ReadOnlyMemory<byte> image, PhotoDraft draft, CancellationToken cancellationToken = default) =>
        Run("UploadPhoto", async () =>
        {
            ArgumentNullException.ThrowIfNull(draft);
            var started = Stopwatch.GetTimestamp();
            var options = parts.Options;
            if (image.Length > options.MaxUploadBytes)
            {
                throw new InputTooLargeException($"The upload is {image.Length} bytes; the limit is {options.MaxUploadBytes}.");
            }

            var clean = CleanDraft(draft);
            await ActiveAsync(cancellationToken).ConfigureAwait(false);

            var (photo, renditions) = await RenderPostAsync(clean, image, image.Length, null, cancellationToken).ConfigureAwait(false);

            // Serial numbers never reach the store: the original is kept as uploaded except for those bytes, blanked.
            var original = ExifSerials.Scrub(image);
            await StoreUploadAsync(photo, key => parts.Blobs.PutAsync(key, original, photo.Image.ContentType, cancellationToken), renditions,
                [OutboxMessage.Create(OutboxKinds.PhotoCreated, photo.Id.Value)], cancellationToken).ConfigureAwait(false);
            CoreTelemetry.UploadDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            CoreTelemetry.UploadSize.Record(image.Length);
            return photo;
        });

    /// <summary>Gets a photo the acting user may see; its owner also gets it while it is deleted (with <see cref="Photo.DeletedAt"/> set).</summary>
    /// <param name="id">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    public Task<Photo> GetPhotoAsync(PhotoId id, CancellationToken cancellationToken = default) =>
        Run("GetPhoto", async () => Shown(await VisibleOrOwnAsync(id, cancellationToken).ConfigureAwait(false)), id.Value);

    /// <summary>Opens a rendition (or, for its owner only, the original) of a photo the acting user may see. The caller disposes it.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="kind">Which rendition.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    public Task<BlobContent> OpenContentAsync(PhotoId id, RenditionKind kind, CancellationToken cancellationToken = default) =>
        Run("OpenContent", async () =>
        {
            var key = await ContentKeyAsync(id, kind, cancellationToken).ConfigureAwait(false);
            return await parts.Blobs.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw PhotoNotFound(id);
        }, id.Value);

    /// <summary>A short-lived URL for a rendition of a photo the acting user may see (the original for its owner only).</summary>
    /// <param name="id">The photo.</param>
    /// <param name="kind">Which rendition.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    public Task<Uri> GetContentUrlAsync(PhotoId id, RenditionKind kind, CancellationToken cancellationToken = default) =>
        Run("GetContentUrl", async () =>
        {
            var key = await ContentKeyAsync(id, kind, cancellationToken).ConfigureAwait(false);
            return await parts.Blobs.GetReadUrlAsync(key, parts.Options.ContentUrlLifetime, null, cancellationToken).ConfigureAwait(false);
        }, id.Value);

    /// <summary>Gets the photos among <paramref name="ids"/> that the acting user may see, in the order asked, in one batch; the others
    /// (unknown, deleted, not visible) are left out.</summary>
    /// <param name="ids">Up to 100 photo ids.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">More than 100 ids.</exception>
    public Task<IReadOnlyList<Photo>> GetPhotosAsync(IReadOnlyList<PhotoId> ids, CancellationToken cancellationToken = default) =>
        Run("GetPhotos", async () =>
        {
            ArgumentNullException.ThrowIfNull(ids);
            return ids.Count > MaxBatch
                ? throw new ValidationException($"At most {MaxBatch} photos can be read at once.") { ParameterName = nameof(ids) }
                : Shown(await parts.Cache.VisiblePhotosAsync(ids, Id, cancellationToken).ConfigureAwait(false), await BlocksAsync(cancellationToken).ConfigureAwait(false));
        });

    /// <summary>Changes the title, tags or visibility of one of the acting user's photos.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="update">The changes.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist, is deleted, or is not the acting user's.</exception>
    /// <exception cref="ValidationException">A new value is not valid.</exception>
    public Task<Photo> UpdatePhotoAsync(PhotoId id, PhotoUpdate update, CancellationToken cancellationToken = default) =>
        Run("UpdatePhoto", async () =>
        {
            ArgumentNullException.ThrowIfNull(update);
            var options = parts.Options;
            var clean = new PhotoUpdate(
                update.Title is null ? null : InputRules.Text(update.Title, "title", options.MaxTitleLength, allowEmpty: true),
                update.Tags is null ? null : InputRules.Tags(update.Tags, options.MaxTags),
                update.Visibility is { } v && !Enum.IsDefined(v) ? throw new ValidationException("Unknown visibility.") { ParameterName = "visibility" } : update.Visibility,
                update.ShareLocation);
            await OwnLivePhotoAsync(id, cancellationToken).ConfigureAwait(false);
            var updated = await parts.Photos.UpdateAsync(id, clean, [OutboxMessage.Create(OutboxKinds.PhotoUpdated, id.Value)], cancellationToken).ConfigureAwait(false)
                ?? throw PhotoNotFound(id);
            await parts.Cache.PhotosChangedAsync([id]).ConfigureAwait(false);
            parts.NotifyWorkEnqueued();
            return updated;
        }, id.Value);

    /// <summary>Soft-deletes one of the acting user's photos. It stays restorable for <see cref="ImageSocialOptions.DeletedRetention"/>.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist, is already deleted, or is not the acting user's.</exception>
    public Task DeletePhotoAsync(PhotoId id, CancellationToken cancellationToken = default) =>
        Run("DeletePhoto", async () =>
        {
            await OwnLivePhotoAsync(id, cancellationToken).ConfigureAwait(false);
            if (!await parts.Photos.SoftDeleteAsync(id, parts.Time.GetUtcNow(), [OutboxMessage.Create(OutboxKinds.PhotoDeleted, id.Value)], cancellationToken).ConfigureAwait(false))
            {
                throw PhotoNotFound(id);
            }

            await parts.Cache.PhotosChangedAsync([id]).ConfigureAwait(false);
            parts.NotifyWorkEnqueued();
        }, id.Value);

    /// <summary>Restores one of the acting user's deleted photos within the retention window.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist, is not deleted, or is not the acting user's.</exception>
    /// <exception cref="RetentionExpiredException">The retention window has passed.</exception>
    public Task<Photo> RestorePhotoAsync(PhotoId id, CancellationToken cancellationToken = default) =>
        Run("RestorePhoto", async () =>
        {
            var photo = await parts.Photos.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (photo is null || photo.OwnerId != Id || photo.DeletedAt is not { } deletedAt)
            {
                throw PhotoNotFound(id);
            }

            if (parts.Time.GetUtcNow() - deletedAt > parts.Options.DeletedRetention)
            {
                throw new RetentionExpiredException($"Photo {id} was deleted more than {parts.Options.DeletedRetention.TotalDays:0.#} days ago.");
            }

            if (!await parts.Photos.RestoreAsync(id, [OutboxMessage.Create(OutboxKinds.PhotoRestored, id.Value)], cancellationToken).ConfigureAwait(false))
            {
                throw PhotoNotFound(id);
            }

            await parts.Cache.PhotosChangedAsync([id]).ConfigureAwait(false);
            parts.NotifyWorkEnqueued();
            return photo with { DeletedAt = null };
        }, id.Value);

    /// <summary>The acting user's deleted photos that can still be restored, newest first.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<Photo>> ListTrashAsync(PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("ListTrash", () => parts.Photos.ListTrashAsync(Id, page, cancellationToken));

    /// <summary>A user's photos that the acting user may see, newest first.</summary>
    /// <param name="owner">Whose photos.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<Photo>> ListPhotosAsync(UserId owner, PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("ListPhotos", async () => Shown(await parts.Photos.ListByOwnerAsync(owner, Id, page, cancellationToken).ConfigureAwait(false),
            await BlocksAsync(cancellationToken).ConfigureAwait(false)), owner.Value);

    /// <summary>The draft with its title and tags checked and normalized, and its visibility checked.</summary>
    private PhotoDraft CleanDraft(PhotoDraft draft)
    {
        var options = parts.Options;
        return draft with
        {
            Title = InputRules.Text(draft.Title, "title", options.MaxTitleLength, allowEmpty: true),
            Tags = InputRules.Tags(draft.Tags, options.MaxTags),
            Visibility = Enum.IsDefined(draft.Visibility) ? draft.Visibility : throw new ValidationException("Unknown visibility.") { ParameterName = "visibility" },
        };
    }

    /// <summary>A new post of the acting user from a clean draft, with the renditions of <paramref name="image"/> (a photo, or a video's
    /// poster), made on the image workers.</summary>
    private async Task<(Photo Post, IReadOnlyList<EncodedRendition> Renditions)> RenderPostAsync(PhotoDraft clean, ReadOnlyMemory<byte> image, long originalBytes,
        VideoInfo? video, CancellationToken cancellationToken)
    {
        var (info, renditions) = await parts.Images.RunAsync(
            () => (parts.Codec.Probe(image), parts.Codec.CreateRenditions(image, RenditionSpec.Standard, cancellationToken)), cancellationToken).ConfigureAwait(false);
        var post = new Photo
        {
            Id = new PhotoId(parts.Ids.Next(Id.LogicalShard)),
            OwnerId = Id,
            Title = clean.Title!,
            Tags = clean.Tags!,
            Visibility = clean.Visibility,
            Image = info,
            RenditionContentType = renditions[0].ContentType,
            OriginalBytes = originalBytes,
            Video = video,
            ShareLocation = clean.ShareLocation,
        };
        return (post, renditions);
    }

    /// <summary>Stores an upload: blobs first, announced by a delayed check (a crash before the metadata commit leaves only unreferenced
    /// blobs, which the check deletes once the grace period has passed), then the metadata with its follow-up work.</summary>
    private async Task StoreUploadAsync(Photo photo, Func<string, Task> putOriginal, IReadOnlyList<EncodedRendition> renditions, IReadOnlyList<OutboxMessage> work,
        CancellationToken cancellationToken)
    {
        await parts.Outbox.EnqueueAsync([OutboxMessage.CreateDue(OutboxKinds.UploadCollect, photo.Id.Value, Id.ToString(), parts.Time.GetUtcNow() + parts.Options.OrphanGracePeriod)],
            cancellationToken).ConfigureAwait(false);
        try
        {
            await putOriginal(BlobKeys.ForRendition(Id, photo.Id, RenditionKind.Original)).ConfigureAwait(false);
            foreach (var rendition in renditions)
            {
                await parts.Blobs.PutAsync(BlobKeys.ForRendition(Id, photo.Id, rendition.Kind), rendition.Data, rendition.ContentType, cancellationToken).ConfigureAwait(false);
            }

            await parts.Photos.CreateAsync(photo, work, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing of an aborted upload stays behind (cancellation included), so the clean-up ignores the caller's token; but a
            // commit that succeeded before the failure was reported keeps its blobs.
            await DiscardUploadAsync(photo.Id).ConfigureAwait(false);
            throw;
        }

        parts.NotifyWorkEnqueued();
    }

    /// <summary>Deletes the blobs of an upload that failed, unless its metadata committed after all; when the store cannot tell, the
    /// blobs stay for orphan collection rather than risk a photo without its files.</summary>
    private async Task DiscardUploadAsync(PhotoId photo)
    {
        try
        {
            if (await parts.Photos.GetAsync(photo, CancellationToken.None).ConfigureAwait(false) is null)
            {
                await PhotoBlobs.DeleteAllAsync(parts.Blobs, Id, photo, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is ImageSocialException or IOException)
        {
            parts.Logger.LogWarning(ex, "The blobs of failed upload {Photo} stay until orphan collection removes them.", photo);
        }
    }

    private async Task<Photo> VisibleOrOwnAsync(PhotoId id, CancellationToken cancellationToken)
    {
        var photo = await parts.Cache.VisibleOrOwnAsync(id, Id, cancellationToken).ConfigureAwait(false) ?? throw PhotoNotFound(id);
        return photo.OwnerId == Id || !(await BlocksAsync(cancellationToken).ConfigureAwait(false)).Contains(photo.OwnerId) ? photo : throw PhotoNotFound(id);
    }

    private async Task<string> ContentKeyAsync(PhotoId id, RenditionKind kind, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ValidationException("Unknown rendition.") { ParameterName = nameof(kind) };
        }

        var photo = await VisibleOrOwnAsync(id, cancellationToken).ConfigureAwait(false);
        return kind switch
        {
            RenditionKind.Original when photo.OwnerId != Id => throw PhotoNotFound(id),
            RenditionKind.Video when photo.Video is null => throw new NotFoundException($"Photo {id} is not a video."),
            RenditionKind.Video when photo.Video.Status == MediaStatus.Processing => throw new ConflictException($"Video {id} is still being processed."),
            RenditionKind.Video when photo.Video.Status == MediaStatus.Failed => throw new ConflictException($"Video {id} could not be processed: {photo.Video.FailureReason}"),
            _ => BlobKeys.ForRendition(photo.OwnerId, photo.Id, kind),
        };
    }

    private async Task<Photo> OwnLivePhotoAsync(PhotoId id, CancellationToken cancellationToken)
    {
        var photo = await parts.Photos.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return photo is not null && photo.OwnerId == Id && photo.DeletedAt is null ? photo : throw PhotoNotFound(id);
    }

    private async Task<Photo> VisibleLiveAsync(PhotoId id, CancellationToken cancellationToken)
    {
        var found = await parts.Cache.VisiblePhotosAsync([id], Id, cancellationToken).ConfigureAwait(false);
        return found.Count == 1 && (found[0].OwnerId == Id || !(await BlocksAsync(cancellationToken).ConfigureAwait(false)).Contains(found[0].OwnerId))
            ? found[0]
            : throw PhotoNotFound(id);
    }

    private const int MaxBatch = 100;

    private static NotFoundException PhotoNotFound(PhotoId id) => new($"Photo {id} does not exist.");
}
