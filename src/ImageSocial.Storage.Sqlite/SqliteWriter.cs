using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

/// <summary>SQLite's single writer as one dedicated thread with one connection: writes queue here instead of contending for the
/// database lock (whose busy handler sleeps for up to 100 ms at a time) on thread-pool threads, and every write that queued while the
/// last commit was on disk goes into the next transaction together (group commit: one fsync for all of them).</summary>
/// <remarks>Each write runs inside its own savepoint, so a write that fails rolls back alone and the others of its group commit. No
/// caller is told "done" before the commit that holds its write has returned, so an acknowledged write is as durable as a write in
/// its own transaction. Writes run in the order they were queued.</remarks>
internal sealed class SqliteWriter : IDisposable
{
    private const int MaxGroup = 128;
    private readonly BlockingCollection<Work> queue = new();
    private readonly Func<SqliteConnection> open;
    private readonly Thread thread;
    private int disposed;

    internal SqliteWriter(Func<SqliteConnection> open)
    {
        this.open = open;
        thread = new Thread(Run) { IsBackground = true, Name = "ImageSocial SQLite writer" };
        thread.Start();
    }

    /// <summary>Queues a write; the task completes after the transaction that holds it has committed.</summary>
    internal Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> body, Func<Exception, Exception> translate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var work = new Work((c, t) => body(c, t), translate, cancellationToken);
        try
        {
            queue.Add(work, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(SqliteMetadataStore));
        }

        return Typed<T>(work.Done.Task);
    }

    /// <summary>Finishes the queued writes and stops the thread; idempotent (DI disposes a store once per contract it serves).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        queue.CompleteAdding();
        if (Thread.CurrentThread != thread)
        {
            thread.Join();
        }

        queue.Dispose();
    }

    private static async Task<T> Typed<T>(Task<object?> task) => (T)(await task.ConfigureAwait(false))!;

    private void Run()
    {
        SqliteConnection? connection = null;
        var group = new List<Work>(MaxGroup);
        foreach (var first in queue.GetConsumingEnumerable())
        {
            group.Clear();
            group.Add(first);
            while (group.Count < MaxGroup && queue.TryTake(out var next))
            {
                group.Add(next);
            }

            try
            {
                connection ??= open();
                Commit(connection, group);
            }
            catch (Exception ex)
            {
                // The connection or the commit itself failed: nothing of this group was written. Start afresh next time.
                foreach (var work in group)
                {
                    work.Fail(work.Translate(ex));
                }

                connection?.Dispose();
                connection = null;
            }
        }

        connection?.Dispose();
    }

    private static void Commit(SqliteConnection connection, List<Work> group)
    {
        var results = new object?[group.Count];
        var failures = new Exception?[group.Count];
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            for (var i = 0; i < group.Count; i++)
            {
                var work = group[i];
                if (work.Cancellation.IsCancellationRequested)
                {
                    failures[i] = new OperationCanceledException(work.Cancellation);
                    continue;
                }

                transaction.Save("w");
                try
                {
                    results[i] = work.Body(connection, transaction);
                    transaction.Release("w");
                }
                catch (Exception ex)
                {
                    transaction.Rollback("w");
                    transaction.Release("w");
                    failures[i] = ex is OperationCanceledException ? ex : work.Translate(ex);
                }
            }

            transaction.Commit();
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                group[i].Fail(failure);
            }
            else
            {
                group[i].Done.TrySetResult(results[i]);
            }
        }
    }

    private sealed record Work(Func<SqliteConnection, SqliteTransaction, object?> Body, Func<Exception, Exception> Translate, CancellationToken Cancellation)
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Fail(Exception exception)
        {
            if (exception is OperationCanceledException canceled)
            {
                Done.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                Done.TrySetException(exception);
            }
        }
    }
}
