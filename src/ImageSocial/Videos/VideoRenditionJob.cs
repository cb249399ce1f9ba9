using ImageSocial.ProviderServices;
using Microsoft.Extensions.Logging;

namespace ImageSocial;

/// <summary>The <see cref="OutboxKinds.VideoTranscode"/> job: makes a video's web-playable rendition from its stored original and marks
/// the video ready, or failed with the reason when the processor cannot convert it. Idempotent: a video no longer processing is left
/// alone, and a repeated run replaces the rendition.</summary>
internal static partial class VideoRenditionJob
{
    internal static async Task RunAsync(SdkParts parts, PhotoId id, CancellationToken cancellationToken)
    {
        if (await parts.Photos.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { Video: { Status: MediaStatus.Processing } video } photo)
        {
            return; // purged, or done by an earlier run
        }

        // Another host may have the processor: failing here retries the job (and sets it aside after the attempts run out).
        var processor = parts.Videos ?? throw new InvalidOperationException("This host has no video processor; the job waits for one that has.");
        var limits = parts.Options.Video;
        VideoInfo done;
        using (var original = await parts.Blobs.GetAsync(BlobKeys.ForRendition(photo.OwnerId, id, RenditionKind.Original), cancellationToken).ConfigureAwait(false))
        {
            if (original is null)
            {
                return; // purged while it waited
            }

            var input = await VideoStaging.CopyAsync(ReadOnlyMemory<byte>.Empty, original.Content, long.MaxValue, limits, cancellationToken).ConfigureAwait(false);
            await using var deleteInput = input.ConfigureAwait(false);
            var output = VideoStaging.NewPath(limits, ".mp4");
            try
            {
                await processor.WriteWebRenditionAsync(input.Path, video, output, limits.MaxVideoEdge, cancellationToken).ConfigureAwait(false);
                await VideoStaging.PutFileAsync(parts.Blobs, BlobKeys.ForRendition(photo.OwnerId, id, RenditionKind.Video), output, "video/mp4", cancellationToken)
                    .ConfigureAwait(false);

                done = video with { Status = MediaStatus.Ready, FailureReason = null };
            }
            catch (VideoDecodeException ex)
            {
                LogFailed(parts.Logger, ex, id);
                done = video with { Status = MediaStatus.Failed, FailureReason = ex.Message };
            }
            finally
            {
                File.Delete(output);
            }
        }

        await parts.Photos.UpdateVideoAsync(id, done, cancellationToken).ConfigureAwait(false);
        await parts.Cache.PhotosChangedAsync([id]).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "The web rendition of video {Photo} could not be made; it is marked failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception, PhotoId photo);
}
