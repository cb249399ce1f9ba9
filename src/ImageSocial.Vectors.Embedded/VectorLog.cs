using System.Text;

namespace ImageSocial.Vectors.Embedded;

/// <summary>The index's append-only log: length-prefixed upsert, payload and delete records. A torn tail (a crash mid-append) is cut off on open.</summary>
internal sealed class VectorLog : IDisposable
{
    private const byte Upsert = 1;
    private const byte Delete = 2;
    private const byte Payload = 3;
    private readonly FileStream stream;
    private readonly bool durable;

    private VectorLog(FileStream stream, bool durable)
    {
        this.stream = stream;
        this.durable = durable;
    }

    internal static VectorLog Open(string path, bool durable, Action<VectorRecord> upsert, Action<long, VectorPayload> payload, Action<long> delete)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        long good = 0;
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
                    for (var i = 0; i < vector.Length; i++)
                    {
                        vector[i] = body.ReadSingle();
                    }

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

        stream.SetLength(good);
        stream.Position = good;
        return new VectorLog(stream, durable);
    }

    internal void AppendUpserts(IReadOnlyList<VectorRecord> records) =>
        Append(records, (w, r) =>
        {
            w.Write(Upsert);
            w.Write(r.Id);
            WritePayload(w, r.Payload);
            w.Write(r.Vector.Length);
            foreach (var value in r.Vector.Span)
            {
                w.Write(value);
            }
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

    private static void WritePayload(BinaryWriter w, VectorPayload p)
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

    private static VectorPayload ReadPayload(BinaryReader r)
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
