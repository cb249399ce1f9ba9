using System.Threading.Channels;

namespace ImageSocial;

/// <summary>One open watch of a user's feed (from <see cref="ActingUser.WatchFeedAsync"/>): the ids of new posts that reach it, as they are
/// announced. Dispose it to stop watching.</summary>
/// <remarks>Best effort: a slow reader loses the oldest ids (32 are buffered), and nothing is replayed; page the feed to see the posts.</remarks>
public sealed class FeedWatch : IAsyncDisposable
{
    private readonly Action stop;
    private int stopped;

    internal FeedWatch(ChannelReader<PhotoId> posts, Action stop) => (Posts, this.stop) = (posts, stop);

    /// <summary>The ids of new posts, in the order they were announced; completes when the watch is disposed.</summary>
    public ChannelReader<PhotoId> Posts { get; }

    /// <summary>Stops watching.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            stop();
        }

        return ValueTask.CompletedTask;
    }
}
