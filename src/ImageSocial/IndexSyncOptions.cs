using System.ComponentModel.DataAnnotations;

namespace ImageSocial;

/// <summary>How this host's vector index follows the metadata store's change feed (configuration section <c>ImageSocial:IndexSync</c>):
/// photos indexed, edited or deleted through any host reach this host's similar search this long after their job stored them.</summary>
public sealed class IndexSyncOptions
{
    /// <summary>Whether the index follows the store's changes in the background while the host runs. Default on; a single host also
    /// indexes its own uploads directly, so turning it off there changes nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the feed is read when the last read found nothing. Default 500 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many changes are applied at once. Default 256.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 256;
}
