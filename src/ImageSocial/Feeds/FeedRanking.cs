namespace ImageSocial;

/// <summary>The ranked order of a feed page (documented on <see cref="FeedOrder.Ranked"/>).</summary>
internal static class FeedRanking
{
    /// <summary>Hours of recency one e-fold of engagement is worth.</summary>
    internal const double HoursPerEngagementFold = 2;

    /// <summary>The score: lower ranks first. Age in hours, less the engagement bonus.</summary>
    internal static double Score(Photo photo, DateTimeOffset now) =>
        (now - photo.CreatedAt).TotalHours - HoursPerEngagementFold * Math.Log(1 + photo.LikeCount + 2.0 * photo.CommentCount);

    internal static IReadOnlyList<Photo> Order(IReadOnlyList<Photo> page, DateTimeOffset now) =>
        page.OrderBy(p => Score(p, now)).ThenByDescending(p => p.Id.Value).ToList();
}
