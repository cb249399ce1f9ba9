using System.Text;

namespace ImageSocial.Vectors.Embedded;

/// <summary>The index's append-only log: length-prefixed upsert, payload and delete records. A torn tail (a crash mid-append) is cut off on open.</summary>
internal sealed class VectorLog : IDisposable
{
    private const byte Upsert = 1;
    private const byte Delete = 2;
    private const byte Payload = 3;
    private const int HeaderBytes = 16;
    private static readonly byte[] Magic = "ISVLOG01"u8.ToArray();
    private readonly string path;
    private readonly bool durable;
    private FileStream stream;

    private VectorLog(string path, FileStream stream, bool durable, long generation)
    {
        this.path = path;
        this.stream = stream;
        this.durable = durable;
        Generation = generation;
    }

    /// <summary>Which log this is: a snapshot names the generation and length it covers, and each snapshot starts a new generation.</summary>
    public long Generation { get; private set; }

    /// <summary>The bytes of records, header included.</summary>
    public long Length => stream.Length;

    /// <summary>Whether records follow the header.</summary>
    public bool HasRecords => stream.Length > HeaderBytes;

    /// <summary>Opens the log and replays the records a snapshot of <paramref name="coveredGeneration"/> up to <paramref name="coveredLength"/> does not hold.</summary>
    internal static VectorLog Open(string path, bool durable, long coveredGeneration, long coveredLength, Action<VectorRecord> upsert, Action<long, VectorPayload> payload, Action<long> delete)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        long generation;
        if (stream.Length < HeaderBytes)
        {
            generation = coveredGeneration + 1;
            WriteHeader(stream, generation, durable);
        }
        else
        {
            var header = new byte[HeaderBytes];
            stream.ReadExactly(header);
            if (!header.AsSpan(0, 8).SequenceEqual(Magic))
            {
                stream.Dispose();
                throw new InvalidDataException($"{path} is not an ImageSocial vector log.");
            }

            generation = BitConverter.ToInt64(header, 8);
        }

        // The snapshot already holds this generation up to coveredLength; an older generation it holds entirely.
        var from = generation == coveredGeneration ? Math.Max(coveredLength, HeaderBytes) : generation < coveredGeneration ? stream.Length : HeaderBytes;
        stream.Position = Math.Min(from, stream.Length);
        var good = Replay(path, stream, upsert, payload, delete);
        stream.SetLength(good);
        stream.Position = stream.Length;
        return new VectorLog(path, stream, durable, generation);
    }

    /// <summary>Replaces the log with an empty one of the next generation (after a snapshot has made its records redundant).</summary>
    internal void Rotate()
    {
        var temporary = path + ".next";
        using (var next = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            WriteHeader(next, Generation + 1, durable: true);
        }

        stream.Dispose();
        File.Move(temporary, path, overwrite: true);
        stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        stream.Position = stream.Length;
        Generation++;
    }

    private static void WriteHeader(FileStream stream, long generation, bool durable)
    {
        stream.Position = 0;
        stream.Write(Magic);
        stream.Write(BitConverter.GetBytes(generation));
        stream.Flush(flushToDisk: durable);
    }

    private static long Replay(string path, FileStream stream, Action<VectorRecord> upsert, Action<long, VectorPayload> payload, Action<long> delete)
    {
        var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var good = stream.Position;
        while (stream.Length - stream.Position >= 4)
        {
            var length = reader.ReadInt32();
            if (length <= 0 || stream.Length - stream.Position < length)
            {
                break;
            }

            var body = new BinaryReader(new MemoryStream(reader.ReadBytes(length)), Encoding.UTF8);
            var kind = body.ReadByte();
            var id = body.ReadInt64();
            switch (kind)
            {
                case Upsert:
                    var payloadValue = ReadPayload(body);
                    var vector = new float[body.ReadInt32()];
                    body.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()));
                    upsert(new VectorRecord(id, vector, payloadValue));
                    break;
                case Payload:
                    payload(id, ReadPayload(body));
                    break;
                case Delete:
                    delete(id);
                    break;
                default:
                    throw new InvalidDataException($"The vector log {path} has an unknown record kind {kind} at offset {good}.");
            }

            good = stream.Position;
        }

        // A torn tail (a crash mid-append) is cut off.
        return good;
    }

    internal void AppendUpserts(IReadOnlyList<VectorRecord> records) =>
        Append(records, (w, r) =>
        {
            w.Write(Upsert);
            w.Write(r.Id);
            WritePayload(w, r.Payload);
            w.Write(r.Vector.Length);
            w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(r.Vector.Span));
        });

    internal void AppendPayload(long id, VectorPayload payload) =>
        Append([id], (w, i) =>
        {
            w.Write(Payload);
            w.Write(i);
            WritePayload(w, payload);
        });

    internal void AppendDeletes(IReadOnlyList<long> ids) =>
        Append(ids, (w, id) =>
        {
            w.Write(Delete);
            w.Write(id);
        });

    public void Dispose() => stream.Dispose();

    private void Append<T>(IReadOnlyList<T> items, Action<BinaryWriter, T> write)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true);
        foreach (var item in items)
        {
            var start = buffer.Position;
            writer.Write(0);
            write(writer, item);
            var end = buffer.Position;
            buffer.Position = start;
            writer.Write((int)(end - start - 4));
            buffer.Position = end;
        }

        writer.Flush();
        buffer.Position = 0;
        buffer.CopyTo(stream);
        stream.Flush(flushToDisk: durable);
    }

    internal static void WritePayload(BinaryWriter w, VectorPayload p)
    {
        w.Write(p.Owner.Value);
        w.Write((byte)p.Visibility);
        w.Write(p.OwnerIsPrivate);
        w.Write(p.CreatedAt.ToUnixTimeMilliseconds());
        w.Write(p.Tags.Count);
        foreach (var tag in p.Tags)
        {
            w.Write(tag);
        }
    }

    internal static VectorPayload ReadPayload(BinaryReader r)
    {
        var owner = new UserId(r.ReadInt64());
        var visibility = (Visibility)r.ReadByte();
        var ownerPrivate = r.ReadBoolean();
        var created = DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64());
        var tags = new string[r.ReadInt32()];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = r.ReadString();
        }

        return new VectorPayload(owner, visibility, ownerPrivate, created, tags);
    }
}
