namespace ImageSocial;

/// <summary>A search result.</summary>
/// <param name="Id">The record id.</param>
/// <param name="Score">Higher is more similar.</param>
public readonly record struct VectorMatch(long Id, float Score);
