namespace ImageSocial.ConformanceTests;

/// <summary>The kit of <see cref="IJobQueue"/>: due outbox work reaches runners leased to them, never to two live runners at once, and
/// comes back at once to a restarted runner and after the lease to another one.</summary>
[ConformanceSuite(typeof(IJobQueue))]
public abstract class JobQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>An empty outbox that several queues (hosts) can share.</summary>
    protected abstract IOutbox CreateOutbox();

    /// <summary>A queue as a new host would have it, on <paramref name="outbox"/> and whatever medium the provider shares between hosts.
    /// The test disposes it when it implements <see cref="IAsyncDisposable"/>.</summary>
    protected abstract IJobQueue CreateQueue(IOutbox outbox);

    [Fact]
    public virtual async Task Due_work_reaches_a_runner_leased_to_it_and_finished_work_never_comes_back()
    {
        var outbox = CreateOutbox();
        await using var host = new Host(CreateQueue(outbox));
        await host.Queue.StartAsync("runner-a");
        await outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2), OutboxMessage.CreateDue("k", 3, null, DateTimeOffset.UtcNow.AddHours(1))]);
        host.Queue.Notify();

        var taken = await TakeAsync(host.Queue, "runner-a", 2, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal([1L, 2L], taken.Select(m => m.Subject).Order());
        Assert.All(taken, m => Assert.NotNull(m.EnqueuedAt));
        var stats = await outbox.GetStatsAsync(DateTimeOffset.UtcNow);
        Assert.Equal((3L, 0L, 2L), (stats.Pending, stats.Due, stats.InFlight));

        foreach (var message in taken)
        {
            await outbox.CompleteAsync(message.Id);
        }

        await host.Queue.FinishAsync("runner-a", taken);
        Assert.Empty(await TakeAsync(host.Queue, "runner-a", 1, DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromSeconds(2)));
        Assert.Equal(1, await outbox.CountPendingAsync());
    }

    [Fact]
    public virtual async Task Runners_on_two_hosts_never_take_the_same_message_and_together_take_them_all()
    {
        var outbox = CreateOutbox();
        await using var a = new Host(CreateQueue(outbox));
        await using var b = new Host(CreateQueue(outbox));
        await a.Queue.StartAsync("runner-a");
        await b.Queue.StartAsync("runner-b");
        const int count = 120;
        await outbox.EnqueueAsync(Enumerable.Range(1, count).Select(i => OutboxMessage.Create("k", i)).ToList());
        a.Queue.Notify();

        var seen = new System.Collections.Concurrent.ConcurrentBag<(string Runner, long Subject)>();
        async Task RunAsync(IJobQueue queue, string runner)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (seen.Count < count && DateTime.UtcNow < deadline)
            {
                var batch = await queue.TakeAsync(runner, 7, DateTimeOffset.UtcNow.AddMinutes(5));
                foreach (var message in batch)
                {
                    seen.Add((runner, message.Subject));
                    await outbox.CompleteAsync(message.Id);
                }

                await queue.FinishAsync(runner, batch);
                if (batch.Count == 0)
                {
                    await queue.WaitAsync(TimeSpan.FromMilliseconds(100));
                }
            }
        }

        await Task.WhenAll(RunAsync(a.Queue, "runner-a"), RunAsync(a.Queue, "runner-a"), RunAsync(b.Queue, "runner-b"), RunAsync(b.Queue, "runner-b"));
        Assert.Equal(count, seen.Count);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), seen.Select(s => s.Subject).Order());
        Assert.Equal(0, await outbox.CountPendingAsync());
    }

    [Fact]
    public virtual async Task A_restarted_runner_gets_the_claims_of_its_previous_incarnation_back_at_once()
    {
        var outbox = CreateOutbox();
        IReadOnlyList<OutboxMessage> before;
        await using (var crashed = new Host(CreateQueue(outbox)))
        {
            await crashed.Queue.StartAsync("runner-a");
            await outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2), OutboxMessage.Create("k", 3)]);
            crashed.Queue.Notify();
            before = await TakeAsync(crashed.Queue, "runner-a", 3, DateTimeOffset.UtcNow.AddMinutes(30));
            Assert.Equal(3, before.Count);
        }

        await using var other = new Host(CreateQueue(outbox));
        await other.Queue.StartAsync("runner-b");
        Assert.Empty(await TakeAsync(other.Queue, "runner-b", 1, DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromSeconds(2)));

        await using var restarted = new Host(CreateQueue(outbox));
        await restarted.Queue.StartAsync("runner-a");
        var after = await TakeAsync(restarted.Queue, "runner-a", 3, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(before.Select(m => m.Id).Order(), after.Select(m => m.Id).Order());
    }

    [Fact]
    public virtual async Task The_claims_of_a_runner_that_stopped_renewing_go_to_another_once_their_lease_ran_out()
    {
        var outbox = CreateOutbox();
        await using var dead = new Host(CreateQueue(outbox));
        await dead.Queue.StartAsync("runner-a");
        await outbox.EnqueueAsync([OutboxMessage.Create("k", 1), OutboxMessage.Create("k", 2)]);
        dead.Queue.Notify();
        var held = await TakeAsync(dead.Queue, "runner-a", 2, DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(2, held.Count);

        await using var survivor = new Host(CreateQueue(outbox));
        await survivor.Queue.StartAsync("runner-b");
        var taken = await TakeAsync(survivor.Queue, "runner-b", 2, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(held.Select(m => m.Id).Order(), taken.Select(m => m.Id).Order());
    }

    /// <summary>Takes until <paramref name="count"/> messages came or <paramref name="patience"/> passed (polling: hand-over may take a moment).</summary>
    protected static async Task<IReadOnlyList<OutboxMessage>> TakeAsync(IJobQueue queue, string runner, int count, DateTimeOffset leaseUntil, TimeSpan? patience = null)
    {
        var taken = new List<OutboxMessage>();
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (taken.Count < count && DateTime.UtcNow < deadline)
        {
            var batch = await queue.TakeAsync(runner, count - taken.Count, leaseUntil);
            taken.AddRange(batch);
            if (batch.Count == 0)
            {
                await queue.WaitAsync(TimeSpan.FromMilliseconds(100));
            }
        }

        return taken;
    }

    private sealed class Host(IJobQueue queue) : IAsyncDisposable
    {
        public IJobQueue Queue { get; } = queue;

        public async ValueTask DisposeAsync()
        {
            if (Queue is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
