using System.Data.Common;
using ImageSocial.Shared.Video;

namespace ImageSocial.Shared.Sql;

/// <summary>How a SQL provider reads the columns whose storage differs between databases (tags, timestamps).</summary>
internal interface IPhotoRowDialect
{
    /// <summary>The tags column.</summary>
    static abstract IReadOnlyList<string> Tags(DbDataReader reader, int ordinal);

    /// <summary>A nullable timestamp column.</summary>
    static abstract DateTimeOffset? Time(DbDataReader reader, int ordinal);
}

/// <summary>A photo's row as both SQL providers store it: one column list and one mapper.</summary>
/// <remarks>Shared source, compiled into the SQLite and PostgreSQL providers.</remarks>
internal static class PhotoRows
{
    /// <summary>The columns <see cref="Read{TDialect}"/> expects, in order, over the photo table aliased <c>p</c>.</summary>
    internal const string Columns =
        "p.id, p.owner_id, p.title, p.tags, p.visibility, p.deleted_at, p.like_count, p.comment_count, p.format, p.width, p.height, " +
        "p.orientation, p.frames, p.captured_at, p.latitude, p.longitude, p.camera_make, p.camera_model, p.rendition_type, p.original_bytes, p.video, p.share_location, p.hidden_reason";

    /// <summary>Maps a row selected with <see cref="Columns"/>.</summary>
    internal static Photo Read<TDialect>(DbDataReader r)
        where TDialect : IPhotoRowDialect => new()
        {
            Id = new PhotoId(r.GetInt64(0)),
            OwnerId = new UserId(r.GetInt64(1)),
            Title = r.GetString(2),
            Tags = TDialect.Tags(r, 3),
            Visibility = (Visibility)r.GetInt16(4),
            DeletedAt = TDialect.Time(r, 5),
            LikeCount = r.GetInt64(6),
            CommentCount = r.GetInt64(7),
            Image = new ImageInfo(r.GetString(8), r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12))
            {
                CapturedAt = TDialect.Time(r, 13),
                Latitude = r.IsDBNull(14) ? null : r.GetDouble(14),
                Longitude = r.IsDBNull(15) ? null : r.GetDouble(15),
                CameraMake = r.IsDBNull(16) ? null : r.GetString(16),
                CameraModel = r.IsDBNull(17) ? null : r.GetString(17),
            },
            RenditionContentType = r.GetString(18),
            OriginalBytes = r.GetInt64(19),
            Video = r.IsDBNull(20) ? null : VideoText.Read(r.GetString(20)),
            ShareLocation = r.GetBoolean(21),
            HiddenReason = r.IsDBNull(22) ? null : r.GetString(22),
        };
}
