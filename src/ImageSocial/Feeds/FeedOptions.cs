using System.ComponentModel.DataAnnotations;

namespace ImageSocial;

/// <summary>How home feeds are built (configuration section <c>ImageSocial:Feed</c>).</summary>
public sealed class FeedOptions
{
    /// <summary><see cref="FeedMode.Pull"/> (the default) reads the followees' newest photos at every page; <see cref="FeedMode.Hybrid"/>
    /// pushes the photos of authors with at most <see cref="FanOutThreshold"/> followers into their active followers' stored timelines
    /// and pulls only the larger authors at read.</summary>
    public FeedMode Mode { get; set; } = FeedMode.Pull;

    /// <summary>Where hybrid timelines are stored: <see cref="FeedStore.Metadata"/> (the default: a table in the metadata store) or
    /// <see cref="FeedStore.Redis"/> (sorted sets). Read by the host that composes the providers (the sample host adds
    /// <c>AddRedisTimelines()</c> for <c>redis</c>); the core uses whichever <see cref="ITimelineStore"/> is registered.</summary>
    public FeedStore Store { get; set; } = FeedStore.Metadata;

    /// <summary>The most followers an author may have and still be fanned out on write; larger authors are pulled at read. Default 10,000.</summary>
    [Range(0, int.MaxValue)]
    public int FanOutThreshold { get; set; } = 10_000;

    /// <summary>How recently a follower must have read their feed to receive fan-out; a user back after longer gets a pulled page at once
    /// while their timeline is rebuilt in the background. Default 7 days.</summary>
    public TimeSpan ActiveWithin { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many entries a stored timeline keeps; pages beyond them are pulled. Default 800.</summary>
    [Range(20, 100_000)]
    public int MaxItems { get; set; } = 800;
}

/// <summary>How home feeds are built.</summary>
public enum FeedMode
{
    /// <summary>Every page reads the followees' newest photos.</summary>
    Pull,

    /// <summary>Fan-out on write for most authors into stored timelines, pull at read for the largest.</summary>
    Hybrid,
}

/// <summary>Where hybrid timelines are stored.</summary>
public enum FeedStore
{
    /// <summary>A table in the metadata store (SQLite; PostgreSQL on the follower's server).</summary>
    Metadata,

    /// <summary>Redis sorted sets.</summary>
    Redis,
}

/// <summary>The order of a feed page.</summary>
public enum FeedOrder
{
    /// <summary>Newest first.</summary>
    Newest,

    /// <summary>Each page (the same photos as newest first) ordered by a score of recency and engagement: the photo's age in hours is
    /// reduced by <c>2 × ln(1 + likes + 2 × comments)</c>, so that a photo with 7 likes ranks like one 4 hours newer; ties newest
    /// first. The pages and their cursors are those of <see cref="Newest"/>, so paging never repeats or skips a photo.</summary>
    Ranked,
}
