using System.Collections.Concurrent;
using System.Diagnostics;

namespace ImageSocial.Tests;

/// <summary>An operation reads the viewer's block set once, however many of its checks need it (the photo's owner and each comment's
/// author; the profile and each follower), counted from the store's own spans within the operation's trace.</summary>
public sealed class BlockReadTests : IDisposable
{
    private readonly TestHost host = new();
    private readonly ConcurrentBag<(ActivityTraceId Trace, string Source, string Name)> spans = [];
    private readonly ActivityListener listener;

    public BlockReadTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "ImageSocial" or "ImageSocial.Storage.Sqlite",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Add((a.TraceId, a.Source.Name, a.OperationName)),
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose()
    {
        listener.Dispose();
        host.Dispose();
    }

    [Fact]
    public async Task Comments_and_followers_read_the_block_set_once_per_call_and_a_later_call_sees_a_new_block()
    {
        var sdk = host.Service;
        var owner = (await sdk.CreateUserAsync("block_owner", "Owner")).Id;
        var viewer = (await sdk.CreateUserAsync("block_viewer", "Viewer")).Id;
        var rude = (await sdk.CreateUserAsync("block_rude", "Rude")).Id;
        var photo = (await sdk.For(owner).UploadPhotoAsync(Imaging.Vips.Tests.TestImages.Encode(32, 32), new PhotoDraft("blocks"))).Id;
        await sdk.For(viewer).AddCommentAsync(photo, "nice");
        await sdk.For(rude).AddCommentAsync(photo, "meh");
        await sdk.For(rude).FollowAsync(owner);
        await sdk.For(viewer).FollowAsync(owner);

        Assert.Equal(2, (await sdk.For(viewer).GetCommentsAsync(photo)).Items.Count);
        Assert.Equal(1, BlockReadsIn("GetComments"));
        Assert.Equal(2, (await sdk.For(viewer).GetFollowersAsync(owner)).Items.Count);
        Assert.Equal(1, BlockReadsIn("GetFollowers"));

        // Nothing is kept between operations: the next call sees the block at once.
        await sdk.For(viewer).BlockAsync(rude);
        Assert.Equal(["nice"], (await sdk.For(viewer).GetCommentsAsync(photo)).Items.Select(c => c.Text));
        Assert.Equal([viewer], (await sdk.For(viewer).GetFollowersAsync(owner)).Items.Select(u => u.Id));
    }

    /// <summary>The block-set reads in the trace of the latest operation named <paramref name="operation"/>.</summary>
    private int BlockReadsIn(string operation)
    {
        var trace = spans.Where(s => s.Source == "ImageSocial" && s.Name == operation).Select(s => s.Trace).Distinct().ToList();
        var latest = Assert.Single(trace.Except(counted));
        counted.Add(latest);
        return spans.Count(s => s.Trace == latest && s.Name == "GetBlocksEitherWay");
    }

    private readonly HashSet<ActivityTraceId> counted = [];
}
