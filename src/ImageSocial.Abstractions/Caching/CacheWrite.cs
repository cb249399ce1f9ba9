namespace ImageSocial;

/// <summary>An entry to store with <see cref="ISharedCache.SetAsync"/>.</summary>
/// <param name="Key">The key.</param>
/// <param name="Version">The version <see cref="ISharedCache.GetAsync"/> returned before the value was loaded from the stores.</param>
/// <param name="Value">The serialized value.</param>
/// <param name="TimeToLive">How long the entry may be served at most.</param>
public readonly record struct CacheWrite(string Key, string Version, ReadOnlyMemory<byte> Value, TimeSpan TimeToLive);
