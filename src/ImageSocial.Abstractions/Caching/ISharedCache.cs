namespace ImageSocial;

/// <summary>A cache shared by every host of a deployment, for the core's read path (photo records, profiles, follow sets, feed pages,
/// similar results). The core never trusts it for access: whatever it reads back is re-checked against the visibility rule.</summary>
/// <remarks>
/// <para>Every key has a version, a random token that changes whenever <see cref="InvalidateAsync"/> is called for the key (and whenever the
/// cache loses the key, for instance on a restart). An entry is stored under the version it was read under, and <see cref="GetAsync"/>
/// only returns the entry of the current version. A slow reader that loaded a value before a write and stores it after the write's
/// invalidation therefore stores it under a version nobody reads again: the classic cache-aside race cannot bring stale data back.</para>
/// <para>The cache is never the only copy of anything. When it cannot be reached, <see cref="GetAsync"/> answers <see langword="null"/> and
/// the caller reads the stores; an invalidation that could not be delivered keeps this instance answering <see langword="null"/> until it
/// has made every entry written before it unreachable. Implementations are thread-safe.</para>
/// </remarks>
public interface ISharedCache
{
    /// <summary>Reads the current version and, when one is stored under it, the entry of each key, in one round trip.</summary>
    /// <param name="keys">The keys (the core's own names, without any deployment prefix).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>One value per key, in order; or <see langword="null"/> when the cache is unavailable and the caller must use the stores.</returns>
    Task<IReadOnlyList<CachedValue>?> GetAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Stores entries, each under the version it was read under; an entry whose key changed version since is dropped. Best effort:
    /// a failure is swallowed (and counted), since the stores still hold the data.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task SetAsync(IReadOnlyList<CacheWrite> entries, CancellationToken cancellationToken = default);

    /// <summary>Gives each key a new version, so that no entry stored before the call is returned again. Called after the write to the
    /// store committed. Never fails for an unreachable cache: see the remarks.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task InvalidateAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);
}
