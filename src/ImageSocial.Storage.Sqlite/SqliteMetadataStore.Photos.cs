using ImageSocial.ProviderServices;
using ImageSocial.Shared.Sql;
using ImageSocial.Shared.Video;
using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <summary>Up to how many owners a feed read takes each owner's newest page on its own.</summary>
    private const int PerOwnerUpTo = 16;

    /// <summary>From how many owners a feed read walks the newest photos instead of the owners' index.</summary>
    private const int ScanFromOwners = 128;

    /// <summary>How many of the newest photos such a walk reads at most before the owners' index takes over.</summary>
    private const int ScanBudget = 5_000;

    /// <summary>The visibility rule for live photos over <c>p</c> and <c>@viewer</c>; the follow edge is in the same database.</summary>
    private static readonly string VisibleLive = VisibilityRule.LivePhotos("@viewer",
        $"EXISTS (SELECT 1 FROM follows f WHERE f.follower = @viewer AND f.followee = p.owner_id AND f.state = {VisibilityRule.Approved})");

    /// <inheritdoc />
    public Task CreateAsync(Photo photo, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(work);
        var image = photo.Image;
        return WriteAsync("CreatePhoto", (c, t) =>
        {
            Execute(c, t, """
                INSERT INTO photos(id, owner_id, title, tags, visibility, owner_private, owner_suspended, format, width, height, orientation, frames,
                    captured_at, latitude, longitude, camera_make, camera_model, rendition_type, original_bytes, video, share_location)
                SELECT @id, u.id, @title, @tags, @visibility, u.is_private, u.suspended, @format, @width, @height, @orientation, @frames,
                    @captured, @lat, @lon, @make, @model, @rtype, @bytes, @video, @share
                FROM users u WHERE u.id = @owner
                """,
                ("@id", photo.Id.Value), ("@owner", photo.OwnerId.Value), ("@title", photo.Title), ("@tags", SqliteRows.JoinTags(photo.Tags)),
                ("@visibility", (int)photo.Visibility), ("@format", image.Format), ("@width", image.Width), ("@height", image.Height),
                ("@orientation", image.Orientation), ("@frames", image.FrameCount), ("@captured", image.CapturedAt?.ToUnixTimeMilliseconds()),
                ("@lat", image.Latitude), ("@lon", image.Longitude), ("@make", image.CameraMake), ("@model", image.CameraModel),
                ("@rtype", photo.RenditionContentType), ("@bytes", photo.OriginalBytes),
                ("@video", photo.Video is null ? null : VideoText.Write(photo.Video)), ("@share", photo.ShareLocation));
            if (Scalar(c, t, "SELECT changes()") is 0L)
            {
                throw StoreErrors.UserNotFound(photo.OwnerId);
            }

            InsertTags(c, t, photo.Id, photo.Tags);
            Enqueue(c, t, work);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetHiddenAsync(PhotoId id, string? reason, CancellationToken cancellationToken = default) =>
        WriteAsync("SetPhotoHidden", (c, t) => Execute(c, t, "UPDATE photos SET hidden_reason = @reason WHERE id = @id", ("@id", id.Value), ("@reason", reason)) > 0,
            cancellationToken);

    /// <inheritdoc />
    public Task<Photo?> GetAsync(PhotoId id, CancellationToken cancellationToken = default) =>
        ReadAsync("GetPhoto", c => Query(c, null, ReadPhoto, $"SELECT {PhotoRows.Columns} FROM photos p WHERE p.id = @id", ("@id", id.Value)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Photo>> GetManyAsync(IReadOnlyList<PhotoId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Count == 0 ? Task.FromResult<IReadOnlyList<Photo>>([]) : ReadAsync<IReadOnlyList<Photo>>("GetPhotos", c =>
        {
            var found = Query(c, null, ReadPhoto, $"SELECT {PhotoRows.Columns} FROM photos p WHERE p.id IN (SELECT value FROM json_each(@ids))",
                ("@ids", JsonIds(ids.Select(i => i.Value)))).ToDictionary(p => p.Id);
            return ids.Distinct().Where(found.ContainsKey).Select(i => found[i]).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Photo>> GetVisibleAsync(IReadOnlyList<PhotoId> ids, UserId viewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<Photo>>([]);
        }

        return ReadAsync<IReadOnlyList<Photo>>("GetVisiblePhotos", c =>
        {
            var found = Query(c, null, ReadPhoto,
                $"SELECT {PhotoRows.Columns} FROM photos p WHERE p.id IN (SELECT value FROM json_each(@ids)) AND {VisibleLive}",
                ("@ids", JsonIds(ids.Select(i => i.Value))), ("@viewer", viewer.Value)).ToDictionary(p => p.Id);
            return ids.Distinct().Where(found.ContainsKey).Select(i => found[i]).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Photo?> UpdateAsync(PhotoId id, PhotoUpdate update, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync("UpdatePhoto", (c, t) =>
        {
            var changed = Execute(c, t, """
                UPDATE photos SET title = coalesce(@title, title), tags = coalesce(@tags, tags), visibility = coalesce(@visibility, visibility),
                    share_location = coalesce(@share, share_location)
                WHERE id = @id AND deleted_at IS NULL
                """,
                ("@id", id.Value), ("@title", update.Title), ("@tags", update.Tags is null ? null : SqliteRows.JoinTags(update.Tags)), ("@visibility", (int?)update.Visibility),
                ("@share", update.ShareLocation));
            if (changed == 0)
            {
                return null;
            }

            if (update.Tags is not null)
            {
                Execute(c, t, "DELETE FROM photo_tags WHERE photo_id = @id", ("@id", id.Value));
                InsertTags(c, t, id, update.Tags);
            }

            Enqueue(c, t, work);
            return Query(c, t, ReadPhoto, $"SELECT {PhotoRows.Columns} FROM photos p WHERE p.id = @id", ("@id", id.Value)).First();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UpdateVideoAsync(PhotoId id, VideoInfo video, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(video);
        return ChangeAndEnqueue("UpdateVideo", "UPDATE photos SET video = @video WHERE id = @id AND video IS NOT NULL", [], cancellationToken,
            ("@id", id.Value), ("@video", VideoText.Write(video)));
    }

    /// <inheritdoc />
    public Task<bool> SoftDeleteAsync(PhotoId id, DateTimeOffset deletedAt, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default) =>
        ChangeAndEnqueue("DeletePhoto", "UPDATE photos SET deleted_at = @at WHERE id = @id AND deleted_at IS NULL", work, cancellationToken, ("@id", id.Value), ("@at", deletedAt.ToUnixTimeMilliseconds()));

    /// <inheritdoc />
    public Task<bool> RestoreAsync(PhotoId id, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken = default) =>
        ChangeAndEnqueue("RestorePhoto", "UPDATE photos SET deleted_at = NULL WHERE id = @id AND deleted_at IS NOT NULL", work, cancellationToken, ("@id", id.Value));

    /// <inheritdoc />
    public Task<IReadOnlyList<Photo>> PurgeDeletedAsync(DateTimeOffset deletedBefore, int max, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<Photo>>("PurgePhotos", (c, t) =>
        {
            var purged = Query(c, t, ReadPhoto,
                $"SELECT {PhotoRows.Columns} FROM photos p WHERE p.deleted_at IS NOT NULL AND p.deleted_at < @cutoff ORDER BY p.deleted_at LIMIT @max",
                ("@cutoff", deletedBefore.ToUnixTimeMilliseconds()), ("@max", Math.Max(1, max)));
            foreach (var photo in purged)
            {
                Execute(c, t, "DELETE FROM photos WHERE id = @id", ("@id", photo.Id.Value));
            }

            Enqueue(c, t, purged.Select(p => OutboxMessage.Create(OutboxKinds.PhotoPurged, p.Id.Value, p.OwnerId.ToString())).ToList());
            return purged;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<Page<Photo>> ListTrashAsync(UserId owner, PageRequest page, CancellationToken cancellationToken = default) =>
        PhotoPage("ListTrash", "p.owner_id = @owner AND p.deleted_at IS NOT NULL", page, cancellationToken, ("@owner", owner.Value));

    /// <inheritdoc />
    public Task<Page<Photo>> ListAllLiveAsync(PageRequest page, CancellationToken cancellationToken = default) =>
        PhotoPage("ListAllLive", "p.deleted_at IS NULL", page, cancellationToken);

    /// <inheritdoc />
    public Task<Page<Photo>> ListByOwnerAsync(UserId owner, UserId viewer, PageRequest page, CancellationToken cancellationToken = default) =>
        PhotoPage("ListByOwner", $"p.owner_id = @owner AND {VisibleLive}", page, cancellationToken, ("@owner", owner.Value), ("@viewer", viewer.Value));

    /// <inheritdoc />
    /// <remarks>Three plans, chosen by how many owners there are (the pull feed asks with every followee; the hybrid feed with the few
    /// large authors it pulls). Up to <see cref="PerOwnerUpTo"/> owners: the newest page of each through the owner index (an index range
    /// bounded by the cursor and the limit, however many photos the owner has), merged. Up to <see cref="ScanFromOwners"/>: all the
    /// owners' photos below the cursor through the owner index, sorted (cheaper than one range each while most accounts have few
    /// photos). More: their photos are a fair share of the newest photos of everyone, so the newest <see cref="ScanBudget"/> photos below
    /// the cursor are walked in id order, keeping the owners' (the walk stops at the limit); only when that window holds too few does the
    /// owner index serve the rest, below the window.</remarks>
    public Task<IReadOnlyList<Photo>> ListNewestByOwnersAsync(IReadOnlyCollection<UserId> owners, UserId viewer, PhotoId? before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owners);
        if (owners.Count == 0 || limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<Photo>>([]);
        }

        var ownerIds = JsonIds(owners.Select(o => o.Value));
        var upper = before?.Value ?? long.MaxValue;
        return ReadAsync<IReadOnlyList<Photo>>("ListNewestByOwners", c =>
        {
            if (owners.Count <= PerOwnerUpTo)
            {
                return NewestOfEachOwner(c, ownerIds, viewer, upper, limit);
            }

            if (owners.Count < ScanFromOwners)
            {
                return ByOwnerIndex(c, ownerIds, viewer, upper, limit);
            }

            if (Scalar(c, null, "SELECT min(id) FROM (SELECT id FROM photos WHERE id < @upper ORDER BY id DESC LIMIT @budget)", ("@upper", upper), ("@budget", ScanBudget)) is not long floor)
            {
                return [];
            }

            var recent = Query(c, null, ReadPhoto, $"""
                SELECT {PhotoRows.Columns} FROM photos p NOT INDEXED
                WHERE p.id >= @floor AND p.id < @upper AND p.owner_id IN (SELECT value FROM json_each(@owners)) AND {VisibleLive} ORDER BY p.id DESC LIMIT @n
                """, ("@floor", floor), ("@upper", upper), ("@owners", ownerIds), ("@viewer", viewer.Value), ("@n", limit));
            if (recent.Count < limit)
            {
                recent.AddRange(ByOwnerIndex(c, ownerIds, viewer, floor, limit - recent.Count));
            }

            return recent;
        }, cancellationToken);
    }

    /// <summary>The owners' newest photos below <paramref name="upper"/>: at most <paramref name="limit"/> visible ones per owner (an index
    /// range each), then merged.</summary>
    private static List<Photo> NewestOfEachOwner(Microsoft.Data.Sqlite.SqliteConnection c, string ownerIds, UserId viewer, long upper, int limit) =>
        Query(c, null, ReadPhoto, $"""
            SELECT {PhotoRows.Columns} FROM json_each(@owners) o, photos p
            WHERE p.id IN (SELECT p.id FROM photos p WHERE p.owner_id = o.value AND p.id < @upper AND {VisibleLive} ORDER BY p.id DESC LIMIT @n)
            ORDER BY p.id DESC LIMIT @n
            """, ("@owners", ownerIds), ("@upper", upper), ("@viewer", viewer.Value), ("@n", limit));

    /// <summary>The owners' photos below <paramref name="upper"/> through the owner index, sorted.</summary>
    private static List<Photo> ByOwnerIndex(Microsoft.Data.Sqlite.SqliteConnection c, string ownerIds, UserId viewer, long upper, int limit) =>
        Query(c, null, ReadPhoto, $"SELECT {PhotoRows.Columns} FROM photos p WHERE p.owner_id IN (SELECT value FROM json_each(@owners)) AND p.id < @upper AND {VisibleLive} ORDER BY p.id DESC LIMIT @n",
            ("@owners", ownerIds), ("@upper", upper), ("@viewer", viewer.Value), ("@n", limit));

    /// <inheritdoc />
    public Task<Page<Photo>> SearchAsync(PhotoSearch query, UserId viewer, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var match = FullTextQuery.Build(query.Text);
        if (match is null && string.IsNullOrEmpty(query.Tag))
        {
            throw new ValidationException("A search needs at least one word or a tag.") { ParameterName = "query" };
        }

        return PhotoPage("SearchPhotos", $"""
            (@match IS NULL OR p.id IN (SELECT rowid FROM photo_titles WHERE photo_titles MATCH @match))
            AND (@tag IS NULL OR EXISTS (SELECT 1 FROM photo_tags pt WHERE pt.tag = @tag AND pt.photo_id = p.id))
            AND {VisibleLive}
            """, page, cancellationToken, ("@match", match), ("@tag", string.IsNullOrEmpty(query.Tag) ? null : query.Tag), ("@viewer", viewer.Value));
    }

    private Task<bool> ChangeAndEnqueue(string operation, string sql, IReadOnlyList<OutboxMessage> work, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync(operation, (c, t) =>
        {
            if (Execute(c, t, sql, parameters) == 0)
            {
                return false;
            }

            Enqueue(c, t, work);
            return true;
        }, cancellationToken);
    }

    private Task<Page<Photo>> PhotoPage(string operation, string where, PageRequest page, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        var all = parameters.Concat([("@before", (object?)before), ("@n", limit + 1)]).ToArray();
        return ReadAsync(operation, c => ToPage(Query(c, null, ReadPhoto,
            $"SELECT {PhotoRows.Columns} FROM photos p WHERE {where} AND (@before IS NULL OR p.id < @before) ORDER BY p.id DESC LIMIT @n", all), limit, p => p.Id.Value), cancellationToken);
    }

    private static void InsertTags(SqliteConnection c, SqliteTransaction t, PhotoId id, IReadOnlyList<string> tags)
    {
        foreach (var tag in tags.Distinct(StringComparer.Ordinal))
        {
            Execute(c, t, "INSERT INTO photo_tags(tag, photo_id) VALUES (@tag, @id) ON CONFLICT DO NOTHING", ("@tag", tag), ("@id", id.Value));
        }
    }


    private static Photo ReadPhoto(SqliteDataReader r) => PhotoRows.Read<SqliteRows>(r);
}
