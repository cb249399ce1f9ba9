namespace ImageSocial;

/// <summary>A photo with the score it got in a similarity search (higher is more similar).</summary>
/// <param name="Photo">The photo.</param>
/// <param name="Score">The similarity score.</param>
public sealed record ScoredPhoto(Photo Photo, float Score);
