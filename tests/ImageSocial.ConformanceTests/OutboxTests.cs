namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IOutbox))]
public abstract class OutboxTests : MetadataSuite
{
    [Fact]
    public virtual async Task Claimed_messages_are_leased_then_due_again()
    {
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2)]);
        var now = DateTimeOffset.UtcNow;
        var claimed = await Stores.Outbox.ClaimAsync("runner-a", 10, now, now.AddMinutes(1));
        Assert.Equal([1L, 2L], claimed.Select(m => m.Subject));
        Assert.Empty(await Stores.Outbox.ClaimAsync("runner-a", 10, now, now.AddMinutes(1)));
        Assert.Equal(2, (await Stores.Outbox.ClaimAsync("runner-a", 10, now.AddMinutes(2), now.AddMinutes(3))).Count);
    }

    [Fact]
    public virtual async Task Retry_counts_attempts_and_complete_removes()
    {
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 7, "data")]);
        var now = DateTimeOffset.UtcNow;
        var message = (await Stores.Outbox.ClaimAsync("runner-a", 1, now, now.AddMinutes(1))).Single();
        await Stores.Outbox.RetryLaterAsync(message.Id, now.AddSeconds(10), "boom");
        Assert.Empty(await Stores.Outbox.ClaimAsync("runner-a", 1, now.AddSeconds(5), now.AddMinutes(1)));
        var again = (await Stores.Outbox.ClaimAsync("runner-a", 1, now.AddSeconds(11), now.AddMinutes(1))).Single();
        Assert.Equal(1, again.Attempts);
        Assert.Equal("data", again.Data);
        await Stores.Outbox.CompleteAsync(again.Id);
        Assert.Equal(0, await Stores.Outbox.CountPendingAsync());
    }

    [Fact]
    public virtual async Task Dead_letters_are_never_claimed_and_are_listed_with_their_error_until_requeued()
    {
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2), OutboxMessage.Create("k", 3)]);
        var now = DateTimeOffset.UtcNow;
        var claimed = await Stores.Outbox.ClaimAsync("runner-a", 10, now, now.AddMinutes(1));
        await Stores.Outbox.DeadLetterAsync(claimed[0].Id, now, "gave up");
        await Stores.Outbox.DeadLetterAsync(claimed[2].Id, now.AddSeconds(1), "also gave up");
        await Stores.Outbox.RetryLaterAsync(claimed[1].Id, now, "once");

        var retried = Assert.Single(await Stores.Outbox.ClaimAsync("runner-a", 10, now.AddHours(1), now.AddHours(2)));
        Assert.Equal(2L, retried.Subject);
        await Stores.Outbox.CompleteAsync(retried.Id);
        Assert.Equal(0, await Stores.Outbox.CountPendingAsync());
        var first = await Stores.Outbox.ListDeadLettersAsync(new PageRequest(Limit: 1));
        var letter = Assert.Single(first.Items);
        Assert.Equal((1L, "gave up", 1), (letter.Message.Subject, letter.Error, letter.Message.Attempts));
        var second = await Stores.Outbox.ListDeadLettersAsync(new PageRequest(first.NextCursor, 1));
        Assert.Equal(3L, Assert.Single(second.Items).Message.Subject);
        Assert.Null(second.NextCursor);

        Assert.True(await Stores.Outbox.RequeueDeadLetterAsync(letter.Message.Id));
        Assert.False(await Stores.Outbox.RequeueDeadLetterAsync(letter.Message.Id));
        var back = Assert.Single(await Stores.Outbox.ClaimAsync("runner-a", 10, now.AddHours(3), now.AddHours(4)));
        Assert.Equal((1L, 0), (back.Subject, back.Attempts));
        Assert.Equal([3L], (await Stores.Outbox.ListDeadLettersAsync(new PageRequest())).Items.Select(d => d.Message.Subject));
    }

    [Fact]
    public virtual async Task Stats_count_pending_due_in_flight_and_dead_and_date_the_oldest_due()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2), OutboxMessage.Create("k", 3), OutboxMessage.Create("k", 4)]);
        var now = DateTimeOffset.UtcNow.AddSeconds(1);
        var leased = await Stores.Outbox.ClaimAsync("runner-a", 2, now, now.AddMinutes(1));
        await Stores.Outbox.DeadLetterAsync(leased[0].Id, now, "dead");

        var stats = await Stores.Outbox.GetStatsAsync(now);
        Assert.Equal((3L, 2L, 1L, 1L), (stats.Pending, stats.Due, stats.InFlight, stats.DeadLetters));
        Assert.NotNull(stats.OldestDueAt);
        Assert.InRange(stats.OldestDueAt.Value, before, now.AddSeconds(1));
        foreach (var message in await Stores.Outbox.ClaimAsync("runner-a", 10, now.AddHours(1), now.AddHours(2)))
        {
            await Stores.Outbox.CompleteAsync(message.Id);
        }

        var drained = await Stores.Outbox.GetStatsAsync(now.AddHours(3));
        Assert.Equal((0L, 0L, 0L, 1L, (DateTimeOffset?)null), (drained.Pending, drained.Due, drained.InFlight, drained.DeadLetters, drained.OldestDueAt));
    }

    [Fact]
    public virtual async Task Claimed_messages_say_when_they_were_enqueued_and_became_due()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var due = DateTimeOffset.UtcNow.AddMinutes(10);
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.CreateDue("k", 2, null, due)]);
        var claimed = await Stores.Outbox.ClaimAsync("runner-a", 10, due.AddSeconds(1), due.AddMinutes(1));
        Assert.Equal(2, claimed.Count);
        Assert.All(claimed, m => Assert.InRange(m.EnqueuedAt!.Value, before, DateTimeOffset.UtcNow.AddSeconds(5)));
        Assert.Null(claimed[0].DueAt);
        Assert.Equal(claimed[0].EnqueuedAt, claimed[0].ReadyAt);
        Assert.Equal(due.ToUnixTimeMilliseconds(), claimed[1].DueAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(claimed[1].DueAt, claimed[1].ReadyAt);
    }

    [Fact]
    public virtual async Task A_runner_renews_only_its_own_leases_and_a_restarted_runner_releases_its_previous_claims_at_once()
    {
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2), OutboxMessage.Create("k", 3)]);
        var now = DateTimeOffset.UtcNow;
        var a = await Stores.Outbox.ClaimAsync("runner-a", 2, now, now.AddSeconds(15));
        var b = await Stores.Outbox.ClaimAsync("runner-b", 2, now, now.AddSeconds(15));
        Assert.Equal(2, a.Count);
        var bOnly = Assert.Single(b);

        Assert.Equal(2, await Stores.Outbox.RenewAsync([.. a.Select(m => m.Id), bOnly.Id], "runner-a", now.AddSeconds(45)));
        Assert.Equal(bOnly.Subject, Assert.Single(await Stores.Outbox.ClaimAsync("runner-c", 10, now.AddSeconds(20), now.AddSeconds(40))).Subject);
        Assert.Empty(await Stores.Outbox.ClaimAsync("runner-c", 10, now.AddSeconds(30), now.AddSeconds(40)));

        Assert.Equal(2, await Stores.Outbox.ReleaseAsync("runner-a"));
        Assert.Equal(0, await Stores.Outbox.ReleaseAsync("runner-a"));
        Assert.Equal(a.Select(m => m.Subject), (await Stores.Outbox.ClaimAsync("runner-a", 10, now.AddSeconds(31), now.AddSeconds(60))).Select(m => m.Subject));
    }

    [Fact]
    public virtual async Task Claim_by_id_takes_free_handed_over_or_own_messages_but_never_one_another_runner_holds()
    {
        await Stores.Outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2), OutboxMessage.Create("k", 3), OutboxMessage.Create("k", 4)]);
        var now = DateTimeOffset.UtcNow;
        var all = await Stores.Outbox.ClaimAsync("dispatcher", 2, now, now.AddSeconds(30));
        var rest = await Stores.Outbox.ClaimAsync("runner-b", 1, now, now.AddSeconds(30));
        var free = (await Stores.Outbox.GetStatsAsync(now)).Due;
        Assert.Equal(1, free);
        var ids = all.Concat(rest).Select(m => m.Id).ToList();
        var unknown = ids.Max() + 1_000_000;

        var taken = await Stores.Outbox.ClaimByIdAsync([.. ids, unknown], "runner-a", "dispatcher", now, now.AddSeconds(15));
        Assert.Equal(all.Select(m => m.Subject), taken.Select(m => m.Subject));
        Assert.All(taken, m => Assert.NotNull(m.EnqueuedAt));
        Assert.Empty(await Stores.Outbox.ClaimByIdAsync(ids, "runner-c", "dispatcher", now, now.AddSeconds(15)));
        Assert.Equal(2, (await Stores.Outbox.ClaimByIdAsync(ids, "runner-a", null, now, now.AddSeconds(15))).Count);

        await Stores.Outbox.CompleteAsync(taken[0].Id);
        await Stores.Outbox.RetryLaterAsync(taken[1].Id, now.AddMinutes(5), "later");
        Assert.Empty(await Stores.Outbox.ClaimByIdAsync([taken[0].Id, taken[1].Id], "runner-a", "dispatcher", now.AddSeconds(1), now.AddSeconds(15)));
        Assert.Equal(rest.Single().Subject, Assert.Single(await Stores.Outbox.ClaimByIdAsync(ids, "runner-c", null, now.AddSeconds(31), now.AddSeconds(45))).Subject);
    }
}
