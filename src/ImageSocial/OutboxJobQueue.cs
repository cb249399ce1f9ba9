using ImageSocial.Shared.Jobs;

namespace ImageSocial;

/// <summary>The default <see cref="IJobQueue"/>: every runner claims straight from the outbox (several hosts on one PostgreSQL outbox share
/// the work through its row locks), and this process's own writes wake its runner at once; other hosts' writes are seen at the next poll.</summary>
internal sealed class OutboxJobQueue(IOutbox outbox, TimeProvider time) : IJobQueue
{
    private readonly JobSignal signal = new();

    public async Task StartAsync(string runner, CancellationToken cancellationToken = default) =>
        await outbox.ReleaseAsync(runner, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<OutboxMessage>> TakeAsync(string runner, int max, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        outbox.ClaimAsync(runner, max, time.GetUtcNow(), leaseUntil, cancellationToken);

    public Task FinishAsync(string runner, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => signal.WaitAsync(timeout, cancellationToken);

    public void Notify() => signal.Notify();
}
