namespace ImageSocial;

/// <summary>The changes of <see cref="IPhotoStore.UpdateAsync"/>; <see langword="null"/> members keep their value.</summary>
/// <param name="Title">The new title.</param>
/// <param name="Tags">The new tags (normalized).</param>
/// <param name="Visibility">The new visibility.</param>
/// <param name="ShareLocation">Whether viewers other than the owner get the post's location.</param>
public sealed record PhotoUpdate(string? Title = null, IReadOnlyList<string>? Tags = null, Visibility? Visibility = null, bool? ShareLocation = null);
