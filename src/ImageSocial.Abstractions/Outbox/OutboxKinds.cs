namespace ImageSocial;

/// <summary>The outbox kinds the core handles.</summary>
public static class OutboxKinds
{
    /// <summary>A photo was uploaded: embed it, index it, fan it out.</summary>
    public const string PhotoCreated = "photo.created";

    /// <summary>A photo's title, tags or visibility changed: refresh the index payload.</summary>
    public const string PhotoUpdated = "photo.updated";

    /// <summary>A photo was soft-deleted: remove it from the index and timelines.</summary>
    public const string PhotoDeleted = "photo.deleted";

    /// <summary>A photo was restored: index it again.</summary>
    public const string PhotoRestored = "photo.restored";

    /// <summary>An upload began (data: the owner's id): once the grace period has passed, delete its blobs unless its photo exists (live or
    /// in the trash). Enqueued before the first blob is written, so a crash between the blobs and the metadata leaves no orphan.</summary>
    public const string UploadCollect = "upload.collect";

    /// <summary>A photo was purged: delete its blobs.</summary>
    public const string PhotoPurged = "photo.purged";

    /// <summary>An account's private flag changed: refresh its photos' index payloads.</summary>
    public const string UserPrivacyChanged = "user.privacy-changed";

    /// <summary>An account was reinstated after a suspension (subject: the user id): its newest posts go back into followers' stored
    /// timelines, which left them out while it was suspended.</summary>
    public const string UserReinstated = "user.reinstated";

    /// <summary>The embedding space is new (another model): embed every live photo missing from its index, a page at a time
    /// (the data is the cursor of the next page).</summary>
    public const string SpaceBackfill = "space.backfill";

    /// <summary>A user came back after the feed's active window: rebuild their stored timeline (hybrid feeds; the subject is the user).</summary>
    public const string FeedRebuild = "feed.rebuild";

    /// <summary>A video was uploaded: make its web-playable rendition and mark it ready, or failed with the reason.</summary>
    public const string VideoTranscode = "video.transcode";
}
