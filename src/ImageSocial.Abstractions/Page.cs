namespace ImageSocial;

/// <summary>One page of a cursor-paged listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="NextCursor">The opaque cursor of the next page; <see langword="null"/> on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>An empty last page.</summary>
    public static Page<T> Empty { get; } = new([], null);
}
