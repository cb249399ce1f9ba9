using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Imaging.Vips;

/// <summary>Formats renditions can be encoded in.</summary>
public enum RenditionFormat
{
    /// <summary>Baseline JPEG.</summary>
    Jpeg,

    /// <summary>Lossy WebP.</summary>
    WebP,
}
