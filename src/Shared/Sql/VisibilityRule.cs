using System.Globalization;

namespace ImageSocial.Shared.Sql;

/// <summary>The visibility rule of <see cref="IPhotoStore"/> as SQL, written once from the enums so that no provider spells a state or
/// a visibility as a bare number.</summary>
/// <remarks>Shared source, compiled into the SQLite and PostgreSQL providers.</remarks>
internal static class VisibilityRule
{
    /// <summary>The stored value of an approved follow edge.</summary>
    internal static readonly string Approved = Value((int)FollowState.Following);

    /// <summary>The stored value of a pending follow request.</summary>
    internal static readonly string Pending = Value((int)FollowState.Pending);

    private static readonly string Public = Value((int)Visibility.Public);
    private static readonly string Private = Value((int)Visibility.Private);

    /// <summary>Live photos of row <c>p</c> (with <c>owner_private</c> and <c>owner_suspended</c> copied from the owner) that
    /// <paramref name="viewer"/> may see: the owner's own; for anyone else nothing hidden by a moderator or of a suspended owner, and of
    /// the rest public ones of a public account and, for an approved follower (<paramref name="approvedFollower"/>, an <c>EXISTS</c> over
    /// the provider's follow edges that may use <see cref="Approved"/>), everything not private. Blocks are applied by the SDK.</summary>
    /// <param name="viewer">The SQL expression of the viewer's id (a parameter).</param>
    /// <param name="approvedFollower">True when the viewer follows <c>p.owner_id</c> with approval.</param>
    internal static string LivePhotos(string viewer, string approvedFollower) =>
        $"p.deleted_at IS NULL AND (p.owner_id = {viewer} OR (p.hidden_reason IS NULL AND NOT p.owner_suspended " +
        $"AND ((p.visibility = {Public} AND NOT p.owner_private) OR (p.visibility <> {Private} AND {approvedFollower}))))";

    private static string Value(int value) => value.ToString(CultureInfo.InvariantCulture);
}
