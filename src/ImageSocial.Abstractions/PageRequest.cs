namespace ImageSocial;

/// <summary>Where a page starts and how long it is.</summary>
/// <param name="Cursor">The opaque cursor from the previous page, or <see langword="null"/> for the first page.</param>
/// <param name="Limit">The most items to return; clamped to 1..<see cref="MaxLimit"/>.</param>
public readonly record struct PageRequest(string? Cursor = null, int Limit = PageRequest.DefaultLimit)
{
    /// <summary>The page size used when none is given.</summary>
    public const int DefaultLimit = 20;

    /// <summary>The largest page size.</summary>
    public const int MaxLimit = 200;

    /// <summary>The limit, clamped to 1..<see cref="MaxLimit"/>.</summary>
    public int EffectiveLimit => Limit <= 0 ? DefaultLimit : Math.Min(Limit, MaxLimit);
}
