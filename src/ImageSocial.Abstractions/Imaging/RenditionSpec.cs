namespace ImageSocial;

/// <summary>A rendition to make.</summary>
/// <param name="Kind">Which rendition.</param>
/// <param name="Size">The long edge, or the square's side when <paramref name="SquareCrop"/>.</param>
/// <param name="SquareCrop">Whether to fill a square and crop the centre.</param>
public sealed record RenditionSpec(RenditionKind Kind, int Size, bool SquareCrop)
{
    /// <summary>The standard set: thumb 150 (square), feed 640, large 1080.</summary>
    public static IReadOnlyList<RenditionSpec> Standard { get; } =
    [
        new(RenditionKind.Thumb, 150, true),
        new(RenditionKind.Feed, 640, false),
        new(RenditionKind.Large, 1080, false),
    ];
}
