namespace ImageSocial;

/// <summary>What <see cref="ISharedCache.GetAsync"/> read for one key.</summary>
/// <param name="Version">The key's current version: pass it back in <see cref="CacheWrite"/> to store a value loaded after this read.</param>
/// <param name="Value">The entry stored under that version, or <see langword="null"/> on a miss.</param>
public readonly record struct CachedValue(string Version, ReadOnlyMemory<byte>? Value)
{
    /// <summary>Whether an entry was found.</summary>
    public bool IsHit => Value.HasValue;
}
