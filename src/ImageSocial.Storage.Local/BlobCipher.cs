using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ImageSocial.Storage.Local;

/// <summary>The encrypted blob format: a header, then chunks of at most <see cref="ChunkSize"/> plaintext bytes, each sealed with
/// AES-256-GCM and followed by its 16-byte tag.</summary>
/// <remarks>
/// <para>Header: an 8-byte magic, a random 7-byte nonce prefix, the key id's length (one byte) and the key id. Chunk <c>i</c>'s nonce is
/// the prefix, <c>i</c> (4 bytes, big-endian) and a last-chunk flag; its associated data is the header, the blob's key and that flag. So a
/// chunk cannot move within a blob or to another blob, and a blob cut at a chunk boundary fails: its new last chunk was not sealed as last
/// (the construction of streaming AEADs such as Tink's).</para>
/// <para>A file without the magic is a blob written in plain (before encryption was turned on) and is read as it is.</para>
/// </remarks>
internal sealed class BlobCipher
{
    internal const int ChunkSize = 64 * 1024;
    internal const int TagSize = 16;
    private const int PrefixSize = 7;
    private static readonly byte[] Magic = [0x89, (byte)'I', (byte)'S', (byte)'B', (byte)'L', (byte)'O', (byte)'B', 0x01];

    private readonly Dictionary<string, byte[]> keys;

    internal BlobCipher(string? currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        CurrentKeyId = currentKeyId;
        this.keys = new Dictionary<string, byte[]>(keys, StringComparer.Ordinal);
    }

    /// <summary>The key new blobs are written under, or <see langword="null"/> for plain.</summary>
    internal string? CurrentKeyId { get; }

    /// <summary>Encrypts <paramref name="source"/> to <paramref name="target"/> under the current key; returns the plaintext length.</summary>
    internal async Task<long> EncryptAsync(Stream source, Stream target, string blobKey, CancellationToken cancellationToken)
    {
        var header = Header(CurrentKeyId!);
        await target.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        using var aes = new AesGcm(keys[CurrentKeyId!], TagSize);
        var current = new byte[ChunkSize];
        var next = new byte[ChunkSize];
        var sealedChunk = new byte[ChunkSize + TagSize];
        var count = await FillAsync(source, current, cancellationToken).ConfigureAwait(false);
        long total = 0;
        for (var index = 0; ; index++)
        {
            // A full chunk may be the last one: only the next read tells.
            var nextCount = count == ChunkSize ? await FillAsync(source, next, cancellationToken).ConfigureAwait(false) : 0;
            var last = nextCount == 0;
            Seal(aes, header, blobKey, index, last, current.AsSpan(0, count), sealedChunk);
            await target.WriteAsync(sealedChunk.AsMemory(0, count + TagSize), cancellationToken).ConfigureAwait(false);
            total += count;
            if (last)
            {
                return total;
            }

            (current, next, count) = (next, current, nextCount);
        }
    }

    /// <summary>Opens a blob file for reading: a decrypting stream for an encrypted one, the file itself for a plain one.</summary>
    /// <exception cref="InvalidDataException">The header names a key the ring does not hold, or the file is cut short.</exception>
    internal Stream OpenRead(FileStream file, string blobKey)
    {
        var header = ReadHeader(file);
        if (header is null)
        {
            file.Position = 0;
            return file;
        }

        var keyId = KeyIdOf(header);
        if (!keys.TryGetValue(keyId, out var key))
        {
            throw new InvalidDataException($"Blob '{blobKey}' is encrypted under key '{keyId}', which is not in the key ring (ImageSocial:LocalBlobs:Encryption:Keys).");
        }

        return new DecryptingStream(file, header, blobKey, key);
    }

    /// <summary>The id of the key a blob file is encrypted under, or <see langword="null"/> when it is plain.</summary>
    internal static string? KeyIdOf(FileStream file) => ReadHeader(file) is { } header ? KeyIdOf(header) : null;

    internal static void Seal(AesGcm aes, byte[] header, string blobKey, int index, bool last, ReadOnlySpan<byte> plain, Span<byte> output)
    {
        Span<byte> nonce = stackalloc byte[12];
        Nonce(header, index, last, nonce);
        aes.Encrypt(nonce, plain, output[..plain.Length], output.Slice(plain.Length, TagSize), Associated(header, blobKey, last));
    }

    internal static void Open(AesGcm aes, byte[] header, string blobKey, int index, bool last, ReadOnlySpan<byte> sealedChunk, Span<byte> plain)
    {
        Span<byte> nonce = stackalloc byte[12];
        Nonce(header, index, last, nonce);
        var length = sealedChunk.Length - TagSize;
        aes.Decrypt(nonce, sealedChunk[..length], sealedChunk[length..], plain[..length], Associated(header, blobKey, last));
    }

    private static byte[] Header(string keyId)
    {
        var id = Encoding.ASCII.GetBytes(keyId);
        var header = new byte[Magic.Length + PrefixSize + 1 + id.Length];
        Magic.CopyTo(header, 0);
        RandomNumberGenerator.Fill(header.AsSpan(Magic.Length, PrefixSize));
        header[Magic.Length + PrefixSize] = (byte)id.Length;
        id.CopyTo(header, Magic.Length + PrefixSize + 1);
        return header;
    }

    /// <summary>The header of an encrypted blob file, or <see langword="null"/> when the file does not start with the magic.</summary>
    private static byte[]? ReadHeader(FileStream file)
    {
        Span<byte> fixedPart = stackalloc byte[Magic.Length + PrefixSize + 1];
        file.Position = 0;
        if (file.ReadAtLeast(fixedPart, fixedPart.Length, throwOnEndOfStream: false) < fixedPart.Length || !fixedPart[..Magic.Length].SequenceEqual(Magic))
        {
            return null;
        }

        var header = new byte[fixedPart.Length + fixedPart[^1]];
        fixedPart.CopyTo(header);
        if (file.ReadAtLeast(header.AsSpan(fixedPart.Length), header.Length - fixedPart.Length, throwOnEndOfStream: false) < header.Length - fixedPart.Length)
        {
            throw new InvalidDataException("The encrypted blob's header is cut short.");
        }

        return header;
    }

    private static string KeyIdOf(byte[] header) => Encoding.ASCII.GetString(header, Magic.Length + PrefixSize + 1, header[Magic.Length + PrefixSize]);

    private static void Nonce(byte[] header, int index, bool last, Span<byte> nonce)
    {
        header.AsSpan(Magic.Length, PrefixSize).CopyTo(nonce);
        BinaryPrimitives.WriteInt32BigEndian(nonce.Slice(PrefixSize, 4), index);
        nonce[11] = last ? (byte)1 : (byte)0;
    }

    private static byte[] Associated(byte[] header, string blobKey, bool last)
    {
        var key = Encoding.UTF8.GetBytes(blobKey);
        var data = new byte[header.Length + key.Length + 1];
        header.CopyTo(data, 0);
        key.CopyTo(data, header.Length);
        data[^1] = last ? (byte)1 : (byte)0;
        return data;
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken) =>
        await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
}
