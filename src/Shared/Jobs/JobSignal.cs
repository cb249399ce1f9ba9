namespace ImageSocial.Shared.Jobs;

/// <summary>A wake-up call for any number of waiters: <see cref="Notify"/> releases everyone waiting now, and a notification with nobody
/// waiting is kept for the next wait, so work enqueued between a runner's look at the queue and its wait is never slept through.</summary>
/// <remarks>Shared source, compiled into the core and the Redis provider.</remarks>
internal sealed class JobSignal
{
    private TaskCompletionSource pending = NewSource();

    internal void Notify() => Volatile.Read(ref pending).TrySetResult();

    /// <summary>Waits for a notification (one kept since the last wait returns at once) or the timeout.</summary>
    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref pending);
        if (!current.Task.IsCompleted)
        {
            try
            {
                await current.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return;
            }
        }

        // Consumed: the next wait sleeps until the next notification. Everyone woken by this one is already awake.
        Interlocked.CompareExchange(ref pending, NewSource(), current);
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
