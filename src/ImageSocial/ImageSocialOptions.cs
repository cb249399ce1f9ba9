using System.ComponentModel.DataAnnotations;

namespace ImageSocial;

/// <summary>Options of the ImageSocial core.</summary>
public sealed class ImageSocialOptions
{
    /// <summary>How long a soft-deleted photo can be restored before it is purged. Default 30 days.</summary>
    public TimeSpan DeletedRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the photo change feed (what every host's vector index follows) keeps a change; the retention pass prunes older
    /// ones. A host whose index is further behind than this (down that long) reloads its index from the stored embeddings. Default 7 days.</summary>
    public TimeSpan ChangeFeedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The number of logical shards. Default 4096; at most 8192.</summary>
    [Range(1, SnowflakeId.MaxLogicalShards)]
    public int LogicalShardCount { get; set; } = 4096;

    /// <summary>The named physical servers the logical shards are spread over, round robin. Default one, <c>local</c>.</summary>
    public IList<string> Servers { get; } = ["local"];

    /// <summary>This host's id generator node (0–15) when several hosts write to one metadata store, each with its own; <see langword="null"/>
    /// (the default) for a single host.</summary>
    [Range(0, IdGenerator.MaxNode)]
    public int? IdNode { get; set; }

    /// <summary>The largest upload in bytes. Default 25 MiB.</summary>
    [Range(1, int.MaxValue)]
    public int MaxUploadBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>The longest title in characters. Default 300.</summary>
    [Range(0, 10_000)]
    public int MaxTitleLength { get; set; } = 300;

    /// <summary>The most tags on a photo. Default 30.</summary>
    [Range(0, 1000)]
    public int MaxTags { get; set; } = 30;

    /// <summary>The longest comment in characters. Default 2200.</summary>
    [Range(1, 100_000)]
    public int MaxCommentLength { get; set; } = 2200;

    /// <summary>How long content URLs handed to viewers stay valid. Default 15 minutes.</summary>
    public TimeSpan ContentUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the blobs of an upload whose metadata never committed (the process died in between) are kept before the job
    /// runner deletes them. Longer than any upload takes. Default 1 hour.</summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many threads decode uploads, make renditions and embed query images; the rest of the cores stay free for reads and
    /// writes during an upload burst. 0 (the default) means half the processors, at least one.</summary>
    [Range(0, 1024)]
    public int ImageWorkers { get; set; }

    /// <summary>How long the shared read cache keeps what it caches (used when a cache provider is added, e.g. <c>AddRedisCache()</c>).</summary>
    public CacheOptions Cache { get; } = new();

    /// <summary>How home feeds are built: pull (the default) or hybrid fan-out into stored timelines.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public FeedOptions Feed { get; } = new();

    /// <summary>Limits on uploaded videos and the size of their web-playable rendition.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public VideoOptions Video { get; } = new();

    /// <summary>Settings of the in-process job runner.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public JobRunnerOptions Jobs { get; } = new();

    /// <summary>How this host's vector index catches up with the photos other hosts indexed, edited or deleted.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public IndexSyncOptions IndexSync { get; } = new();
}
