namespace ImageSocial;

/// <summary>How long the shared read cache keeps entries (configuration section <c>ImageSocial:Cache</c>). Writes invalidate entries at
/// once; these lifetimes bound how long an entry lives without one, and so how stale a feed page or a similarity result can be.</summary>
public sealed class CacheOptions
{
    /// <summary>Photo records, profiles, follow sets and follower counts. Default 5 minutes.</summary>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Feed pages (which photos, not the photos themselves): a followee's new photo can take this long to show. Default 5 minutes.</summary>
    public TimeSpan FeedPageLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Similar-photo results (which photos and their scores): a newly indexed photo can take this long to appear in them. Default 1 hour.</summary>
    public TimeSpan SimilarResultsLifetime { get; set; } = TimeSpan.FromHours(1);
}
