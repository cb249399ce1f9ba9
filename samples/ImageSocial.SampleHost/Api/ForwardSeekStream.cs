namespace ImageSocial.SampleHost.Api;

/// <summary>A read-only view of a stream that cannot seek (an S3 object) that seeks forward by reading and discarding, so that the
/// framework's byte-range handling can serve a range of it: one range per request, from the start of the object.</summary>
/// <remarks>Reaching a late range costs reading what lies before it; a provider with ranged reads would avoid that.</remarks>
internal sealed class ForwardSeekStream(Stream inner, long length) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        if (target < position)
        {
            throw new NotSupportedException("This stream only seeks forward.");
        }

        var skip = new byte[Math.Min(81920, Math.Max(1, target - position))];
        while (position < target)
        {
            var read = Read(skip, 0, (int)Math.Min(skip.Length, target - position));
            if (read == 0)
            {
                break;
            }
        }

        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        position += read;
        return read;
    }
}
