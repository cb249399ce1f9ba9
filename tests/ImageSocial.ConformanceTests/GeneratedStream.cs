namespace ImageSocial.ConformanceTests;

/// <summary>A read-only, non-seekable stream of deterministic bytes (like an HTTP request body of unknown length), so a large upload can be
/// streamed and checked without holding it in memory.</summary>
public sealed class GeneratedStream(long length, int seed) : Stream
{
    private long position;

    /// <summary>Called after each read with the bytes read so far.</summary>
    public Action<long>? OnRead { get; init; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => position; set => throw new NotSupportedException(); }

    /// <summary>The byte at <paramref name="index"/> of the stream with <paramref name="seed"/>.</summary>
    public static byte At(long index, int seed) => (byte)((index * 2654435761L + seed * 97 + (index >> 13)) >> 3);

    /// <summary>Whether <paramref name="stream"/> holds exactly the bytes of a generated stream.</summary>
    public static async Task<bool> MatchesAsync(Stream stream, long length, int seed)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[81920];
        long index = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++, index++)
            {
                if (index >= length || buffer[i] != At(index, seed))
                {
                    return false;
                }
            }
        }

        return index == length;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var take = (int)Math.Min(buffer.Length, Math.Min(length - position, 64 * 1024)); // small reads, as a network body gives
        for (var i = 0; i < take; i++)
        {
            buffer[i] = At(position + i, seed);
        }

        position += take;
        OnRead?.Invoke(position);
        return take;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
