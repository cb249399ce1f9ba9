using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ImageSocial.ProviderServices;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Local;

/// <summary><see cref="IBlobStore"/> on a local folder: writes go to a temporary file, are flushed to disk, then renamed into place.</summary>
/// <remarks>Thread-safe. Keys are validated by <see cref="BlobKeys.IsValid"/> and resolved under the root, so none can escape it.</remarks>
public sealed class LocalBlobStore : IBlobStore
{
    private const string ContentTypeSuffix = ".content-type";
    private readonly string root;
    private readonly string urlBase;
    private readonly byte[] signingKey;
    private readonly TimeProvider time;
    private readonly BlobCipher cipher;

    /// <summary>Creates the store; the root folder is created when missing.</summary>
    /// <param name="options">Root folder, URL base and signing key.</param>
    /// <param name="time">The clock that URL expiry is measured on.</param>
    public LocalBlobStore(IOptions<LocalBlobStoreOptions> options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        root = Path.GetFullPath(value.RootPath);
        Directory.CreateDirectory(root);
        urlBase = value.UrlBase;
        this.time = time ?? TimeProvider.System;
        signingKey = value.SigningKey ?? LoadOrCreateKey(Path.Combine(root, ".signing-key"));
        if (signingKey.Length < 32)
        {
            throw new ArgumentException("LocalBlobStoreOptions.SigningKey must be at least 32 bytes.", nameof(options));
        }

        cipher = LocalBlobEncryptionValidator.CreateCipher(value.Encryption);
    }

    /// <summary>Whether new blobs are encrypted at rest (<see cref="LocalBlobStoreOptions.Encryption"/>).</summary>
    public bool EncryptsAtRest => cipher.CurrentKeyId is not null;

    /// <inheritdoc />
    public Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
        LocalBlobTelemetry.RunAsync("Put", key, async () =>
        {
            ArgumentNullException.ThrowIfNull(contentType);
            var path = Resolve(key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // The bytes first: a failure or cancellation before they are in place leaves nothing, not a type without its object.
            if (cipher.CurrentKeyId is null)
            {
                await WriteAtomicallyAsync(path, content, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var source = MemoryMarshal.TryGetArray(content, out var array) ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false) : new MemoryStream(content.ToArray());
                await WriteAtomicallyAsync(path, (file, ct) => cipher.EncryptAsync(source, file, key, ct), cancellationToken).ConfigureAwait(false);
            }

            await WriteAtomicallyAsync(path + ContentTypeSuffix, Encoding.UTF8.GetBytes(contentType), CancellationToken.None).ConfigureAwait(false);
            LocalBlobTelemetry.CountBytes("write", content.Length);
            return true;
        });

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default) =>
        LocalBlobTelemetry.RunAsync("Put", key, async () =>
        {
            ArgumentNullException.ThrowIfNull(content);
            ArgumentNullException.ThrowIfNull(contentType);
            var path = Resolve(key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var written = cipher.CurrentKeyId is null
                ? await WriteAtomicallyAsync(path, (file, ct) => content.CopyToAsync(file, ct), cancellationToken).ConfigureAwait(false)
                : await EncryptAtomicallyAsync(path, content, key, cancellationToken).ConfigureAwait(false);
            await WriteAtomicallyAsync(path + ContentTypeSuffix, Encoding.UTF8.GetBytes(contentType), CancellationToken.None).ConfigureAwait(false);
            LocalBlobTelemetry.CountBytes("write", written);
            return true;
        });

    /// <inheritdoc />
    public Task<BlobContent?> GetAsync(string key, CancellationToken cancellationToken = default) => LocalBlobTelemetry.RunAsync("Get", key, () => OpenAsync(key, cancellationToken));

    /// <summary>Answers when the root folder can be listed (the health check).</summary>
    internal Task PingAsync() => Task.FromResult(Directory.Exists(root) ? true : throw new DirectoryNotFoundException($"The blob folder {root} is missing."));

    private async Task<BlobContent?> OpenAsync(string key, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        string contentType;
        try
        {
            contentType = await File.ReadAllTextAsync(path + ContentTypeSuffix, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            contentType = "application/octet-stream";
        }

        Stream content;
        try
        {
            content = cipher.OpenRead(stream, key);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LocalBlobTelemetry.CountBytes("read", content.Length);
        return new BlobContent(content, contentType, content.Length);
    }

    /// <summary>Rewrites every blob that is not under the current key (<see cref="LocalBlobEncryptionOptions.CurrentKeyId"/>): blobs under
    /// an older key of the ring, and blobs written in plain; with encryption turned off, decrypts every blob to plain. Each rewrite is
    /// atomic, so readers see the old file or the new one, and a run can be stopped and started again.</summary>
    /// <param name="progress">Told the number of blobs examined so far, every 100 blobs and at the end.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many blobs were rewritten.</returns>
    /// <exception cref="InvalidDataException">A blob is under a key the ring does not hold, or is damaged.</exception>
    public async Task<int> ReencryptAsync(IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var examined = 0;
        var rewritten = 0;
        await foreach (var key in ListAsync("", cancellationToken).ConfigureAwait(false))
        {
            var path = Resolve(key);
            string? keyId;
            var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            await using (probe.ConfigureAwait(false))
            {
                keyId = BlobCipher.KeyIdOf(probe);
            }

            if (keyId != cipher.CurrentKeyId)
            {
                var blob = await OpenAsync(key, cancellationToken).ConfigureAwait(false);
                if (blob is not null)
                {
                    await using (blob.ConfigureAwait(false))
                    {
                        if (cipher.CurrentKeyId is null)
                        {
                            await WriteAtomicallyAsync(path, (file, ct) => blob.Content.CopyToAsync(file, ct), cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await EncryptAtomicallyAsync(path, blob.Content, key, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    rewritten++;
                }
            }

            if (++examined % 100 == 0)
            {
                progress?.Report(examined);
            }
        }

        progress?.Report(examined);
        return rewritten;
    }

    /// <summary>Encrypts a blob into place atomically; returns its plaintext length.</summary>
    private async Task<long> EncryptAtomicallyAsync(string path, Stream content, string key, CancellationToken cancellationToken)
    {
        long plain = 0;
        await WriteAtomicallyAsync(path, async (file, ct) => plain = await cipher.EncryptAsync(content, file, key, ct).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return plain;
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(Resolve(key)));

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        LocalBlobTelemetry.RunAsync("Delete", key, () =>
        {
            var path = Resolve(key);
            var existed = File.Exists(path);
            try
            {
                File.Delete(path);
                File.Delete(path + ContentTypeSuffix);
            }
            catch (DirectoryNotFoundException)
            {
                // A key under a folder that was never made (a photo purged before any rendition landed) is already gone.
            }

            return Task.FromResult(existed);
        });

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.EndsWith(ContentTypeSuffix, StringComparison.Ordinal) || key.Contains(".tmp-", StringComparison.Ordinal) || !BlobKeys.IsValid(key))
            {
                continue;
            }

            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return key;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The URL is served by the host at <see cref="LocalBlobStoreOptions.UrlBase"/>, which chooses the response's headers;
    /// <paramref name="options"/> are not carried.</remarks>
    public Task<Uri> GetReadUrlAsync(string key, TimeSpan timeToLive, BlobReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        var expires = time.GetUtcNow().Add(timeToLive).ToUnixTimeSeconds();
        var url = $"{urlBase}{key}?expires={expires.ToString(CultureInfo.InvariantCulture)}&signature={Sign(key, expires)}";
        return Task.FromResult(new Uri(url, UriKind.RelativeOrAbsolute));
    }

    /// <summary>Checks a signed read URL's parts, as the host serving <see cref="LocalBlobStoreOptions.UrlBase"/> must before returning bytes.</summary>
    /// <param name="key">The key from the URL path.</param>
    /// <param name="expires">The <c>expires</c> query value.</param>
    /// <param name="signature">The <c>signature</c> query value.</param>
    /// <returns>Whether the URL is genuine and not expired.</returns>
    public bool ValidateReadUrl(string key, string? expires, string? signature)
    {
        if (!BlobKeys.IsValid(key) || signature is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var at))
        {
            return false;
        }

        if (at < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, at)), Encoding.ASCII.GetBytes(signature));
    }

    private string Sign(string key, long expires)
    {
        var mac = HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes($"{key}\n{expires.ToString(CultureInfo.InvariantCulture)}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private string Resolve(string key)
    {
        BlobKeys.Validate(key);
        var path = Path.GetFullPath(Path.Combine(root, key));

        // BlobKeys already forbids '..' segments; this check keeps the guarantee if that rule ever loosens.
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ValidationException("The blob key escapes the store's root.") { ParameterName = nameof(key) };
        }

        return path;
    }

    private static Task<long> WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteAtomicallyAsync(path, (file, ct) => file.WriteAsync(content, ct).AsTask(), cancellationToken);

    /// <summary>Writes a temporary file, flushes it to the disk and renames it into place, so a reader sees the old file or the whole new
    /// one; a failure or cancellation deletes the temporary file.</summary>
    private static async Task<long> WriteAtomicallyAsync(string path, Func<FileStream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            long length;
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
                length = stream.Length;
            }

            File.Move(temporary, path, overwrite: true);
            return length;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, key);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException)
        {
            // Another instance created it first: use theirs.
            File.Delete(temporary);
        }

        return File.ReadAllBytes(path);
    }
}
