using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Redis;

/// <summary>Where Redis is and how the SDK uses it (configuration section <c>ImageSocial:Redis</c> in the sample host). One set of options
/// serves the cache, the job dispatch and the timelines.</summary>
public sealed class RedisOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis1:6379,redis2:6379,password=…,ssl=true</c>.
    /// Required. A standalone server or a primary with replicas; Redis Cluster is not supported (the cache's scripts read several keys).</summary>
    [Required]
    public string Configuration { get; set; } = "";

    /// <summary>Prefixes every key the SDK writes (cache entries, streams, timelines), so several deployments can share a server.
    /// Default <c>imagesocial:</c>.</summary>
    [StringLength(100)]
    public string KeyPrefix { get; set; } = "imagesocial:";

    /// <summary>How long a pending job entry of a consumer that stopped answering waits before another host takes it over. A live runner
    /// renews its claim long before that. Default 15 seconds.</summary>
    public TimeSpan JobClaimIdle { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most job entries waiting in the stream for a consumer; due work beyond it stays in the outbox until there is room, so
    /// a backlog never moves into Redis. Default 512.</summary>
    [Range(16, 100_000)]
    public int JobStreamLength { get; set; } = 512;

    /// <summary>How long the SDK remembers which timelines a photo was pushed to, so that removing it reaches all of them. Readers re-check
    /// visibility anyway, so an entry older than this that survives a removal is never shown. Default 14 days.</summary>
    public TimeSpan TimelinePushMemory { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long an "active recently" mark is kept. Default 30 days.</summary>
    public TimeSpan ActiveMarkRetention { get; set; } = TimeSpan.FromDays(30);
}
