using System.Text;
using ImageSocial.Shared.Video;

namespace ImageSocial.Caching;

/// <summary>The cache's binary form of what it stores: small, fast, and versioned by a leading format byte so that an entry written by
/// another version of the SDK (a rolling upgrade) reads as a miss instead of as wrong data.</summary>
internal static class CacheCodec
{
    private const byte Format = 5;

    internal static byte[] Write(Action<BinaryWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            body(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads an entry, or <see langword="default"/> when it is of another format or damaged.</summary>
    internal static T? Read<T>(ReadOnlyMemory<byte> bytes, Func<BinaryReader, T> body)
    {
        if (bytes.Length == 0 || bytes.Span[0] != Format)
        {
            return default;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes[1..].ToArray(), writable: false), Encoding.UTF8);
            return body(reader);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or FormatException)
        {
            return default;
        }
    }

    internal static void WritePhoto(BinaryWriter w, Photo p)
    {
        w.Write(p.Id.Value);
        w.Write(p.OwnerId.Value);
        w.Write(p.Title);
        w.Write(p.Tags.Count);
        foreach (var tag in p.Tags)
        {
            w.Write(tag);
        }

        w.Write((int)p.Visibility);
        var i = p.Image;
        w.Write(i.Format);
        w.Write(i.Width);
        w.Write(i.Height);
        w.Write(i.Orientation);
        w.Write(i.FrameCount);
        WriteTime(w, i.CapturedAt);
        WriteDouble(w, i.Latitude);
        WriteDouble(w, i.Longitude);
        WriteText(w, i.CameraMake);
        WriteText(w, i.CameraModel);
        w.Write(p.RenditionContentType);
        w.Write(p.OriginalBytes);
        WriteTime(w, p.DeletedAt);
        w.Write(p.LikeCount);
        w.Write(p.CommentCount);
        WriteText(w, p.Video is null ? null : VideoText.Write(p.Video));
        w.Write(p.ShareLocation);
        WriteText(w, p.HiddenReason);
    }

    internal static Photo ReadPhoto(BinaryReader r)
    {
        var id = new PhotoId(r.ReadInt64());
        var owner = new UserId(r.ReadInt64());
        var title = r.ReadString();
        var tags = new string[r.ReadInt32()];
        for (var t = 0; t < tags.Length; t++)
        {
            tags[t] = r.ReadString();
        }

        var visibility = (Visibility)r.ReadInt32();
        var image = new ImageInfo(r.ReadString(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32())
        {
            CapturedAt = ReadTime(r),
            Latitude = ReadDouble(r),
            Longitude = ReadDouble(r),
            CameraMake = ReadText(r),
            CameraModel = ReadText(r),
        };
        return new Photo
        {
            Id = id,
            OwnerId = owner,
            Title = title,
            Tags = tags,
            Visibility = visibility,
            Image = image,
            RenditionContentType = r.ReadString(),
            OriginalBytes = r.ReadInt64(),
            DeletedAt = ReadTime(r),
            LikeCount = r.ReadInt64(),
            CommentCount = r.ReadInt64(),
            Video = ReadText(r) is { } video ? VideoText.Read(video) : null,
            ShareLocation = r.ReadBoolean(),
            HiddenReason = ReadText(r),
        };
    }

    internal static void WriteUser(BinaryWriter w, User u)
    {
        w.Write(u.Id.Value);
        w.Write(u.Handle);
        w.Write(u.DisplayName);
        w.Write(u.IsPrivate);
        w.Write((int)u.Role);
        w.Write(u.IsSuspended);
    }

    internal static User ReadUser(BinaryReader r) => new(new UserId(r.ReadInt64()), r.ReadString(), r.ReadString(), r.ReadBoolean()) { Role = (UserRole)r.ReadInt32(), IsSuspended = r.ReadBoolean() };

    internal static void WriteIds(BinaryWriter w, IReadOnlyCollection<long> ids)
    {
        w.Write(ids.Count);
        foreach (var id in ids)
        {
            w.Write(id);
        }
    }

    internal static long[] ReadIds(BinaryReader r)
    {
        var ids = new long[r.ReadInt32()];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = r.ReadInt64();
        }

        return ids;
    }

    internal static void WriteText(BinaryWriter w, string? text)
    {
        w.Write(text is not null);
        if (text is not null)
        {
            w.Write(text);
        }
    }

    internal static string? ReadText(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteTime(BinaryWriter w, DateTimeOffset? time)
    {
        w.Write(time is not null);
        if (time is { } t)
        {
            w.Write(t.UtcTicks);
        }
    }

    private static DateTimeOffset? ReadTime(BinaryReader r) => r.ReadBoolean() ? new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero) : null;

    private static void WriteDouble(BinaryWriter w, double? value)
    {
        w.Write(value is not null);
        if (value is { } v)
        {
            w.Write(v);
        }
    }

    private static double? ReadDouble(BinaryReader r) => r.ReadBoolean() ? r.ReadDouble() : null;
}
