using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Local;

/// <summary>Checks the key ring at start-up: a current key that the ring holds, key ids the header can carry, 256-bit keys.</summary>
internal sealed class LocalBlobEncryptionValidator : IValidateOptions<LocalBlobStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalBlobStoreOptions options)
    {
        try
        {
            CreateCipher(options.Encryption);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }

    /// <summary>The cipher the options describe.</summary>
    /// <exception cref="ArgumentException">The options are not valid (the message says what is wrong, never a key).</exception>
    internal static BlobCipher CreateCipher(LocalBlobEncryptionOptions options)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, text) in options.Keys)
        {
            if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new ArgumentException($"Encryption key id '{id}' is not valid: letters, digits, '.', '_' or '-', at most 64.");
            }

            var key = new byte[32];
            if (!Convert.TryFromBase64String(text ?? "", key, out var length) || length != 32)
            {
                throw new ArgumentException($"Encryption key '{id}' is not a 256-bit key in base64 (32 bytes; e.g. openssl rand -base64 32).");
            }

            keys[id] = key;
        }

        if (!string.IsNullOrEmpty(options.CurrentKeyId) && options.CurrentKeyId is var current && !keys.ContainsKey(current))
        {
            throw new ArgumentException($"The current encryption key '{current}' is not in the key ring (ImageSocial:LocalBlobs:Encryption:Keys:{current}).");
        }

        return new BlobCipher(string.IsNullOrEmpty(options.CurrentKeyId) ? null : options.CurrentKeyId, keys);
    }
}
