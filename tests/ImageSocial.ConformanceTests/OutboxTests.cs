namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IOutbox))]
public abstract class OutboxTests : MetadataSuite
{
    [Fact]
    public virtual async Task Claimed_messages_are_leased_then_due_again()
    {
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2)]);
        var now = DateTimeOffset.UtcNow;
        var claimed = await Stores.Outbox.ClaimAsync(10, now, now.AddMinutes(1));
        Assert.Equal([1L, 2L], claimed.Select(m => m.Subject));
        Assert.Empty(await Stores.Outbox.ClaimAsync(10, now, now.AddMinutes(1)));
        Assert.Equal(2, (await Stores.Outbox.ClaimAsync(10, now.AddMinutes(2), now.AddMinutes(3))).Count);
    }

    [Fact]
    public virtual async Task Retry_counts_attempts_and_complete_removes()
    {
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 7, "data")]);
        var now = DateTimeOffset.UtcNow;
        var message = (await Stores.Outbox.ClaimAsync(1, now, now.AddMinutes(1))).Single();
        await Stores.Outbox.RetryLaterAsync(message.Id, now.AddSeconds(10), "boom");
        Assert.Empty(await Stores.Outbox.ClaimAsync(1, now.AddSeconds(5), now.AddMinutes(1)));
        var again = (await Stores.Outbox.ClaimAsync(1, now.AddSeconds(11), now.AddMinutes(1))).Single();
        Assert.Equal(1, again.Attempts);
        Assert.Equal("data", again.Data);
        await Stores.Outbox.CompleteAsync(again.Id);
        Assert.Equal(0, await Stores.Outbox.CountPendingAsync());
    }
}
