namespace ImageSocial;

/// <summary>An encoded rendition.</summary>
/// <param name="Kind">Which rendition.</param>
/// <param name="Data">The encoded bytes.</param>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels.</param>
/// <param name="ContentType">The MIME type.</param>
public sealed record EncodedRendition(RenditionKind Kind, byte[] Data, int Width, int Height, string ContentType);
