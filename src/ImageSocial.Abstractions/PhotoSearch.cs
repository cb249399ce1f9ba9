namespace ImageSocial;

/// <summary>A title and tag search.</summary>
/// <param name="Text">Words that must all appear in the title (prefix match on the last word), or <see langword="null"/>.</param>
/// <param name="Tag">A tag the photo must carry (normalized), or <see langword="null"/>.</param>
public sealed record PhotoSearch(string? Text, string? Tag);
