namespace ImageSocial;

/// <summary>How many approved followers a user has and how many accounts the user follows.</summary>
/// <param name="Followers">Approved followers.</param>
/// <param name="Following">Accounts followed with approval.</param>
public sealed record FollowCounts(long Followers, long Following);
