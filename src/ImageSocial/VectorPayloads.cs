namespace ImageSocial;

/// <summary>What the vector index keeps beside a photo's vector for filtering: the facts the visibility rule reads.</summary>
internal static class VectorPayloads
{
    // An owner that cannot be read counts as private: the safe side for a filter.
    internal static VectorPayload For(Photo photo, User? owner) => new(photo.OwnerId, photo.Visibility, owner?.IsPrivate ?? true, photo.CreatedAt, photo.Tags);
}
