namespace ImageSocial.ProviderServices;

/// <summary>The visibility rule of <see cref="IPhotoStore"/> evaluated in memory, for code that holds the facts already (an index's payload
/// filter, the core's cache re-checking what it read). The stores' own queries must agree with it; the conformance kit checks that they do.</summary>
public static class VisibilityRules
{
    /// <summary>Whether <paramref name="viewer"/> may see a live photo: the owner always; anyone a public photo of a public account; an
    /// approved follower anything not private. A deleted photo is never visible through this rule (its owner reads it from the trash).</summary>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="owner">The photo's owner.</param>
    /// <param name="visibility">The photo's visibility.</param>
    /// <param name="ownerIsPrivate">Whether the owner's account is private.</param>
    /// <param name="viewerFollowsOwner">Whether the viewer follows the owner with approval.</param>
    /// <param name="deleted">Whether the photo is soft-deleted.</param>
    public static bool CanSee(UserId viewer, UserId owner, Visibility visibility, bool ownerIsPrivate, bool viewerFollowsOwner, bool deleted = false) =>
        !deleted && (viewer == owner || (visibility == Visibility.Public && !ownerIsPrivate) || (visibility != Visibility.Private && viewerFollowsOwner));
}
