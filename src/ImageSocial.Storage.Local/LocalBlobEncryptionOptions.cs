namespace ImageSocial.Storage.Local;

/// <summary>At-rest encryption of <see cref="LocalBlobStore"/>: AES-256-GCM per blob, in 64 KiB chunks so that reads and byte ranges
/// stream, with a key ring so that keys rotate without downtime.</summary>
/// <remarks>
/// <para>Off unless <see cref="CurrentKeyId"/> is set. New blobs are written under the current key; blobs under an older key in
/// <see cref="Keys"/> (or written before encryption was turned on, in plain) stay readable.</para>
/// <para>Rotation: add the new key to <see cref="Keys"/> and make it current (every host), run
/// <c>./build.sh admin blobs reencrypt</c> (or <see cref="LocalBlobStore.ReencryptAsync"/>), which rewrites every blob that is not under
/// the current key, then remove the old key. Losing a key loses every blob written under it.</para>
/// </remarks>
public sealed class LocalBlobEncryptionOptions
{
    /// <summary>The id of the key new blobs are written under (letters, digits, '.', '_' or '-', at most 64), or <see langword="null"/> to
    /// write blobs in plain. Configuration: <c>ImageSocial:LocalBlobs:Encryption:CurrentKeyId</c>.</summary>
    public string? CurrentKeyId { get; set; }

    /// <summary>The key ring: key id → a 256-bit key in base64. Configuration: <c>ImageSocial:LocalBlobs:Encryption:Keys:{id}</c> (keep
    /// keys in a secret store or environment variables, not in a file next to the blobs).</summary>
    public IDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
