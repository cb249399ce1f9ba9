namespace ImageSocial;

/// <summary>What an uploader says about a new photo.</summary>
/// <param name="Title">The title (may be empty).</param>
/// <param name="Tags">The tags; normalized to lower case, a leading '#' dropped.</param>
/// <param name="Visibility">Who may see it.</param>
/// <param name="ShareLocation">Whether viewers other than the owner get the location read from the upload (EXIF GPS, a video's
/// metadata); off by default: the owner always gets it.</param>
public sealed record PhotoDraft(string? Title = null, IReadOnlyList<string>? Tags = null, Visibility Visibility = Visibility.Public, bool ShareLocation = false);
