namespace ImageSocial;

public sealed partial class ActingUser
{
    // Location privacy: every viewer-checked read returns posts through Shown, which leaves out where a post was taken (EXIF GPS, a
    // video's location) unless the viewer owns it or the owner shares it, and a video's recorded creation time unless the viewer owns it.
    // The stores and caches keep the facts; only what leaves the SDK for another user is trimmed.

    private Photo Shown(Photo photo)
    {
        if (photo.OwnerId == Id)
        {
            return photo;
        }

        var image = photo.ShareLocation || photo.Image.Latitude is null && photo.Image.Longitude is null
            ? photo.Image
            : photo.Image with { Latitude = null, Longitude = null };
        var video = photo.Video is not { } v ? null
            : photo.ShareLocation ? v with { CreatedAt = null }
            : v with { CreatedAt = null, Latitude = null, Longitude = null };
        return ReferenceEquals(image, photo.Image) && video == photo.Video ? photo : photo with { Image = image, Video = video };
    }

    // The lists also leave out the posts of accounts blocked either way (see ActingUser.Blocks.cs).

    private Page<Photo> Shown(Page<Photo> page, IReadOnlySet<UserId> blocks) => new(Shown(page.Items, blocks), page.NextCursor);

    private IReadOnlyList<Photo> Shown(IReadOnlyList<Photo> photos, IReadOnlySet<UserId> blocks) =>
        photos.Where(p => !blocks.Contains(p.OwnerId)).Select(Shown).ToList();

    private IReadOnlyList<ScoredPhoto> Shown(IReadOnlyList<ScoredPhoto> scored, IReadOnlySet<UserId> blocks) =>
        scored.Where(s => !blocks.Contains(s.Photo.OwnerId)).Select(s => s with { Photo = Shown(s.Photo) }).ToList();
}
