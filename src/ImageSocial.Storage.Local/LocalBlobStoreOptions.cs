using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Storage.Local;

/// <summary>Options of <see cref="LocalBlobStore"/>.</summary>
public sealed class LocalBlobStoreOptions
{
    /// <summary>The folder that holds the blobs. Default <c>data/blobs</c>.</summary>
    [Required]
    public string RootPath { get; set; } = Path.Combine("data", "blobs");

    /// <summary>The base the signed read URLs are made on; the host serves <c>{base}{key}?expires=…&amp;signature=…</c>. Default <c>/blobs/</c>.</summary>
    [Required]
    public string UrlBase { get; set; } = "/blobs/";

    /// <summary>The HMAC-SHA256 key that signs read URLs (at least 32 bytes). When <see langword="null"/>, a random key is generated and kept in
    /// <c>{RootPath}/.signing-key</c>.</summary>
    public byte[]? SigningKey { get; set; }

    /// <summary>At-rest encryption (off unless a current key is set).</summary>
    public LocalBlobEncryptionOptions Encryption { get; } = new();
}
