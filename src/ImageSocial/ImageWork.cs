using System.Collections.Concurrent;

namespace ImageSocial;

/// <summary>Where decoding, renditions and on-demand embeddings run: a few dedicated threads (<see cref="ImageSocialOptions.ImageWorkers"/>)
/// fed by a queue, so that a burst of uploads takes a bounded share of the cores and never blocks thread-pool threads, while reads,
/// likes and comments keep the rest.</summary>
/// <remarks>A waiting caller's cancellation removes its work from the queue; work that has started runs to the end.</remarks>
internal sealed class ImageWork : IDisposable
{
    private readonly BlockingCollection<Action> queue = new();
    private readonly Thread[] workers;
    private int disposed;

    internal ImageWork(int workers)
    {
        this.workers = new Thread[workers > 0 ? workers : Math.Max(1, Environment.ProcessorCount / 2)];
        for (var i = 0; i < this.workers.Length; i++)
        {
            this.workers[i] = new Thread(Run) { IsBackground = true, Name = $"ImageSocial image work {i}" };
            this.workers[i].Start();
        }
    }

    /// <summary>How many threads do image work.</summary>
    internal int Workers => workers.Length;

    /// <summary>Runs CPU-bound image work on a worker thread.</summary>
    internal Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        try
        {
            queue.Add(() =>
            {
                registration.Dispose();
                if (done.Task.IsCompleted)
                {
                    return; // canceled while it waited
                }

                try
                {
                    done.TrySetResult(work());
                }
                catch (Exception ex)
                {
                    done.TrySetException(ex);
                }
            });
        }
        catch (InvalidOperationException)
        {
            registration.Dispose();
            throw new ObjectDisposedException(nameof(ImageSocialService));
        }

        return done.Task;
    }

    /// <summary>Starts an asynchronous image operation (an embedding) on a worker thread: its synchronous part (decoding, or all of a
    /// CPU engine's work) runs there.</summary>
    internal Task<T> StartAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken) => RunAsync<Task<T>>(work, cancellationToken).Unwrap();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        queue.CompleteAdding();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        queue.Dispose();
    }

    private void Run()
    {
        foreach (var work in queue.GetConsumingEnumerable())
        {
            work();
        }
    }
}
