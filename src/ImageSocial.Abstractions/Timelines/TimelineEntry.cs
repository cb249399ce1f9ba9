namespace ImageSocial;

/// <summary>One photo in a stored timeline.</summary>
/// <param name="Photo">The photo; timelines are ordered by its id (time-ordered).</param>
/// <param name="Author">Its owner, so that an unfollow can remove the author's entries.</param>
public readonly record struct TimelineEntry(PhotoId Photo, UserId Author);
