using System.Diagnostics;
using ImageSocial.ProviderServices;

namespace ImageSocial;

public sealed partial class ActingUser
{
    /// <summary>Uploads a photo or a video as the acting user, told apart by the content's first bytes: an image takes
    /// <see cref="UploadPhotoAsync"/> (held in memory, up to <see cref="ImageSocialOptions.MaxUploadBytes"/>); anything else, when a
    /// <see cref="IVideoProcessor"/> is registered, takes <see cref="UploadVideoAsync"/> (streamed to a file, never whole in memory).</summary>
    /// <param name="content">The upload, read once from its current position.</param>
    /// <param name="draft">Title, tags and visibility.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="InputTooLargeException">The upload, its pixel count, duration, frame rate or stream count is over a limit.</exception>
    /// <exception cref="UnsupportedImageFormatException">Videos are not accepted here and the content is not an accepted image.</exception>
    /// <exception cref="UnsupportedVideoException">The content is neither an accepted image nor a video in an accepted container.</exception>
    /// <exception cref="ImageDecodeException">The image cannot be decoded.</exception>
    /// <exception cref="VideoDecodeException">The video cannot be read or framed.</exception>
    /// <exception cref="ValidationException">The title or tags are not valid.</exception>
    /// <exception cref="NotFoundException">The acting user does not exist.</exception>
    public async Task<Photo> UploadAsync(Stream content, PhotoDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var head = new byte[MediaSniffing.HeadLength];
        var headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (parts.Videos is not null && !MediaSniffing.IsImage(head.AsSpan(0, headLength)))
        {
            return await UploadVideoAfterAsync(head.AsMemory(0, headLength), content, draft, cancellationToken).ConfigureAwait(false);
        }

        using var buffer = new MemoryStream();
        await BoundedCopy.CopyAsync(head.AsMemory(0, headLength), content, buffer, parts.Options.MaxUploadBytes, "upload", cancellationToken).ConfigureAwait(false);

        return await UploadPhotoAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), draft, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads a video as the acting user: streamed to a private file (up to <see cref="VideoOptions.MaxBytes"/>), probed and
    /// checked against <see cref="ImageSocialOptions.Video"/>'s limits, framed (a poster that skips black and blank frames, rendered like a
    /// photo: thumb, feed and large, which search, similar and feeds use), then stored with <see cref="MediaStatus.Processing"/> and a job
    /// that makes the web-playable rendition. Nothing is left behind by a refused or aborted upload.</summary>
    /// <param name="video">The video, read once from its current position.</param>
    /// <param name="draft">Title, tags and visibility.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="InputTooLargeException">The video's size, duration, pixel count, frame rate or stream count is over a limit.</exception>
    /// <exception cref="UnsupportedVideoException">It is not a video in an accepted container, or no video processor is registered.</exception>
    /// <exception cref="VideoDecodeException">It cannot be read or framed (truncated, corrupt, no frames).</exception>
    /// <exception cref="ValidationException">The title or tags are not valid.</exception>
    /// <exception cref="NotFoundException">The acting user does not exist.</exception>
    public Task<Photo> UploadVideoAsync(Stream video, PhotoDraft draft, CancellationToken cancellationToken = default) =>
        UploadVideoAfterAsync(ReadOnlyMemory<byte>.Empty, video, draft, cancellationToken);

    /// <summary>Uploads the video whose first bytes, <paramref name="head"/>, were already read from <paramref name="video"/>.</summary>
    private Task<Photo> UploadVideoAfterAsync(ReadOnlyMemory<byte> head, Stream video, PhotoDraft draft, CancellationToken cancellationToken) =>
        Run("UploadVideo", async () =>
        {
            ArgumentNullException.ThrowIfNull(video);
            ArgumentNullException.ThrowIfNull(draft);
            var processor = parts.Videos ?? throw new UnsupportedVideoException("Videos are not accepted here: no video processor is registered.");
            var started = Stopwatch.GetTimestamp();
            var limits = parts.Options.Video;
            var clean = CleanDraft(draft);
            await ActiveAsync(cancellationToken).ConfigureAwait(false);

            var staged = await VideoStaging.CopyAsync(head, video, limits.MaxBytes, limits, cancellationToken).ConfigureAwait(false);
            await using var deleteStaged = staged.ConfigureAwait(false);
            var facts = await processor.ProbeAsync(staged.Path, cancellationToken).ConfigureAwait(false);
            VideoLimits.Check(facts, limits);
            var poster = await processor.ExtractPosterAsync(staged.Path, facts, cancellationToken).ConfigureAwait(false);
            var (photo, renditions) = await RenderPostAsync(clean, poster, staged.Length, facts with { Status = MediaStatus.Processing, FailureReason = null },
                cancellationToken).ConfigureAwait(false);

            await StoreUploadAsync(photo, key => VideoStaging.PutFileAsync(parts.Blobs, key, staged.Path, MediaSniffing.VideoContentType(facts), cancellationToken), renditions, [OutboxMessage.Create(OutboxKinds.PhotoCreated, photo.Id.Value), OutboxMessage.Create(OutboxKinds.VideoTranscode, photo.Id.Value)],
                cancellationToken).ConfigureAwait(false);
            CoreTelemetry.UploadDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            CoreTelemetry.UploadSize.Record(staged.Length);
            return photo;
        });
}
