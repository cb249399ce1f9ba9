using System.Security.Cryptography;

namespace ImageSocial.Storage.Local;

/// <summary>A read-only, seekable view of an encrypted blob's plaintext (see <see cref="BlobCipher"/>): each read opens only the chunks it
/// covers, so byte ranges of a large video cost what they read.</summary>
internal sealed class DecryptingStream : Stream
{
    private const int SealedSize = BlobCipher.ChunkSize + BlobCipher.TagSize;
    private readonly FileStream file;
    private readonly byte[] header;
    private readonly string blobKey;
    private readonly AesGcm aes;
    private readonly int chunks;
    private readonly long fileLength;
    private readonly byte[] sealedChunk = new byte[SealedSize];
    private readonly byte[] plain = new byte[BlobCipher.ChunkSize];
    private int loaded = -1;
    private int loadedLength;
    private long position;

    internal DecryptingStream(FileStream file, byte[] header, string blobKey, byte[] key)
    {
        fileLength = file.Length;
        var body = fileLength - header.Length;
        chunks = (int)((body + SealedSize - 1) / SealedSize);
        if (chunks == 0 || body - ((long)(chunks - 1) * SealedSize) < BlobCipher.TagSize)
        {
            throw new InvalidDataException($"Encrypted blob '{blobKey}' is cut short.");
        }

        (this.file, this.header, this.blobKey) = (file, header, blobKey);
        aes = new AesGcm(key, BlobCipher.TagSize);
        Length = body - ((long)chunks * BlobCipher.TagSize);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => position;
        set => position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        var index = (int)(position / BlobCipher.ChunkSize);
        if (index != loaded)
        {
            var (offset, length) = SealedRange(index);
            RandomAccess.Read(file.SafeFileHandle, sealedChunk.AsSpan(0, length), offset);
            Load(index, length);
        }

        var within = (int)(position - ((long)index * BlobCipher.ChunkSize));
        var copied = Math.Min(buffer.Length, loadedLength - within);
        plain.AsSpan(within, copied).CopyTo(buffer);
        position += copied;
        return copied;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        var index = (int)(position / BlobCipher.ChunkSize);
        if (index != loaded)
        {
            var (offset, length) = SealedRange(index);
            await RandomAccess.ReadAsync(file.SafeFileHandle, sealedChunk.AsMemory(0, length), offset, cancellationToken).ConfigureAwait(false);
            Load(index, length);
        }

        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        _ => Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            aes.Dispose();
            file.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        aes.Dispose();
        await file.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Where chunk <paramref name="index"/> lies in the file (the length measured once at open, not per chunk).</summary>
    private (long Offset, int Length) SealedRange(int index)
    {
        var offset = header.Length + ((long)index * SealedSize);
        return (offset, (int)Math.Min(SealedSize, fileLength - offset));
    }

    private void Load(int index, int sealedLength)
    {
        try
        {
            BlobCipher.Open(aes, header, blobKey, index, index == chunks - 1, sealedChunk.AsSpan(0, sealedLength), plain);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            loaded = -1;
            throw new InvalidDataException($"Encrypted blob '{blobKey}' is damaged or was altered (chunk {index} fails authentication).", ex);
        }

        loaded = index;
        loadedLength = sealedLength - BlobCipher.TagSize;
    }
}
