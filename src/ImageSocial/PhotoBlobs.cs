using ImageSocial.ProviderServices;

namespace ImageSocial;

/// <summary>The blobs that belong to one photo: the original and every rendition.</summary>
internal static class PhotoBlobs
{
    private static readonly RenditionKind[] AllKinds = Enum.GetValues<RenditionKind>();

    /// <summary>Deletes every blob of a photo; idempotent.</summary>
    internal static async Task DeleteAllAsync(IBlobStore blobs, UserId owner, PhotoId photo, CancellationToken cancellationToken)
    {
        foreach (var kind in AllKinds)
        {
            await blobs.DeleteAsync(BlobKeys.ForRendition(owner, photo, kind), cancellationToken).ConfigureAwait(false);
        }
    }
}
