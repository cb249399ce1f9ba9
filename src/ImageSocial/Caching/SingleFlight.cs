using System.Collections.Concurrent;

namespace ImageSocial.Caching;

/// <summary>Stampede protection: concurrent misses of the same key (at the same version) share one load from the stores.</summary>
/// <remarks>Loads run without the callers' tokens, since several callers wait on them; each caller stops waiting on its own token.</remarks>
internal sealed class SingleFlight
{
    private readonly ConcurrentDictionary<string, Task<object?>> flights = new(StringComparer.Ordinal);

    /// <summary>The values of <paramref name="keys"/>, joining loads already running for any of them; <paramref name="load"/> gets the
    /// positions this call loads itself and answers their values in that order.</summary>
    internal async Task<object?[]> LoadAsync(IReadOnlyList<string> keys, Func<IReadOnlyList<int>, Task<object?[]>> load, CancellationToken cancellationToken)
    {
        var tasks = new Task<object?>[keys.Count];
        var mine = new List<int>();
        var sources = new List<TaskCompletionSource<object?>>();
        for (var i = 0; i < keys.Count; i++)
        {
            var source = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
            tasks[i] = flights.GetOrAdd(keys[i], source.Task);
            if (tasks[i] == source.Task)
            {
                mine.Add(i);
                sources.Add(source);
            }
        }

        if (mine.Count > 0)
        {
            try
            {
                var loaded = await load(mine).ConfigureAwait(false);
                for (var j = 0; j < sources.Count; j++)
                {
                    sources[j].TrySetResult(loaded[j]);
                }
            }
            catch (Exception ex)
            {
                sources.ForEach(s => s.TrySetException(ex));
            }
            finally
            {
                for (var j = 0; j < sources.Count; j++)
                {
                    flights.TryRemove(KeyValuePair.Create(keys[mine[j]], sources[j].Task));
                }
            }
        }

        return await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
