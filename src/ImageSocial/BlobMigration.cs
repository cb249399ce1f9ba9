using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;

namespace ImageSocial;

/// <summary>Copies every blob of one store into another (local disk to S3, one bucket to another) and checks each copy by reading it
/// back: the same size and the same SHA-256, or it is reported as a mismatch. Changes no configuration: the application switches
/// providers when the report is clean.</summary>
/// <remarks>With a journal, every verified key is appended to it as it is done, so a migration that was interrupted resumes where it
/// stopped; run it once more after the last writes to the old store to copy what came since.</remarks>
public static class BlobMigration
{
    /// <summary>Copies and verifies every blob of <paramref name="source"/> into <paramref name="target"/>.</summary>
    /// <param name="source">The store to copy from (left as it is).</param>
    /// <param name="target">The store to copy into.</param>
    /// <param name="options">The journal and how many blobs are copied at once.</param>
    /// <param name="progress">Receives the running totals, at most every <see cref="BlobMigrationOptions.ProgressInterval"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests; what was verified before
    /// is in the journal.</param>
    /// <returns>Counts, bytes and the keys whose copy did not match.</returns>
    public static async Task<BlobMigrationReport> MigrateAsync(IBlobStore source, IBlobStore target, BlobMigrationOptions? options = null,
        IProgress<BlobMigrationReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new BlobMigrationOptions();
        var started = Stopwatch.StartNew();
        var done = options.JournalPath is { } journalPath && File.Exists(journalPath)
            ? new HashSet<string>(await File.ReadAllLinesAsync(journalPath, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        var journal = options.JournalPath is null ? null : new StreamWriter(options.JournalPath, append: true) { AutoFlush = true };
        var journalGate = new Lock();
        var mismatches = new ConcurrentBag<string>();
        long listed = 0, copied = 0, skipped = 0, bytes = 0;
        var lastReport = Stopwatch.StartNew();

        BlobMigrationReport Snapshot() =>
            new(Interlocked.Read(ref listed), Interlocked.Read(ref copied), Interlocked.Read(ref skipped), Interlocked.Read(ref bytes), [.. mismatches.Order()], started.Elapsed);

        try
        {
            await Parallel.ForEachAsync(source.ListAsync("", cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
                async (key, ct) =>
                {
                    Interlocked.Increment(ref listed);
                    if (done.Contains(key))
                    {
                        Interlocked.Increment(ref skipped);
                        return;
                    }

                    var length = await CopyAndVerifyAsync(source, target, key, ct).ConfigureAwait(false);
                    if (length < 0)
                    {
                        mismatches.Add(key);
                    }
                    else
                    {
                        Interlocked.Increment(ref copied);
                        Interlocked.Add(ref bytes, length);
                        lock (journalGate)
                        {
                            journal?.WriteLine(key);
                        }
                    }

                    if (progress is not null && lastReport.Elapsed >= options.ProgressInterval)
                    {
                        lastReport.Restart();
                        progress.Report(Snapshot());
                    }
                }).ConfigureAwait(false);
        }
        finally
        {
            if (journal is not null)
            {
                await journal.DisposeAsync().ConfigureAwait(false);
            }
        }

        var report = Snapshot();
        progress?.Report(report);
        return report;
    }

    /// <summary>Copies one blob while hashing it, reads the copy back and compares; returns its length, or -1 when the copy differs (or
    /// the source vanished meanwhile, which also needs a look).</summary>
    private static async Task<long> CopyAndVerifyAsync(IBlobStore source, IBlobStore target, string key, CancellationToken cancellationToken)
    {
        byte[] sent;
        long length;
        var original = await source.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (original is null)
        {
            return -1;
        }

        await using (original.ConfigureAwait(false))
        {
            using var hashing = new HashingStream(original.Content);
            await target.PutAsync(key, hashing, original.ContentType, cancellationToken).ConfigureAwait(false);
            (sent, length) = (hashing.Hash(), hashing.Length);
        }

        var copy = await target.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (copy is null)
        {
            return -1;
        }

        await using (copy.ConfigureAwait(false))
        {
            using var readBack = new HashingStream(copy.Content);
            await readBack.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            return readBack.Length == length && CryptographicOperations.FixedTimeEquals(readBack.Hash(), sent) ? length : -1;
        }
    }

    /// <summary>Passes a stream's bytes through, hashing them (SHA-256) and counting them.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => length; set => throw new NotSupportedException(); }

        public byte[] Hash() => hash.GetHashAndReset();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            hash.AppendData(buffer[..read]);
            length += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            hash.AppendData(buffer.Span[..read]);
            length += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
