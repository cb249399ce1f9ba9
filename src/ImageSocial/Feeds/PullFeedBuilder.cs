using ImageSocial.ProviderServices;

namespace ImageSocial;

/// <summary>The default <see cref="IFeedBuilder"/>: at read time, a k-way merge of the followees' newest visible photos, newest first.</summary>
/// <remarks>Followees are read in chunks; each chunk is one batched store query, and the chunks' results are merged. Nothing is stored,
/// so the event methods have nothing to do.</remarks>
public sealed class PullFeedBuilder(ISocialGraph graph, IPhotoStore photos) : IFeedBuilder
{
    private const int OwnersPerQuery = 500;

    /// <inheritdoc />
    public async Task<Page<Photo>> GetPageAsync(UserId viewer, PageRequest page, CancellationToken cancellationToken = default)
    {
        var before = IdCursor.Decode(page.Cursor) is { } b ? new PhotoId(b) : (PhotoId?)null;
        var limit = page.EffectiveLimit;
        var followees = await FolloweesAsync(graph, viewer, cancellationToken).ConfigureAwait(false);
        var items = await NewestAsync(photos, followees, viewer, before, limit + 1, cancellationToken).ConfigureAwait(false);
        return items.Count > limit
            ? new Page<Photo>(items.GetRange(0, limit), IdCursor.Encode(items[limit - 1].Id.Value))
            : new Page<Photo>(items, null);
    }

    /// <inheritdoc />
    public Task OnPublishedAsync(Photo photo, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnDeletedAsync(Photo photo, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnFollowedAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnUnfollowedAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The newest photos of <paramref name="owners"/> below <paramref name="before"/> that <paramref name="viewer"/> may see, newest
    /// first, at most <paramref name="limit"/>: one store query per chunk of owners, merged.</summary>
    internal static async Task<List<Photo>> NewestAsync(IPhotoStore photos, IReadOnlyCollection<UserId> owners, UserId viewer, PhotoId? before, int limit,
        CancellationToken cancellationToken)
    {
        var found = new List<Photo>();
        foreach (var chunk in owners.Chunk(OwnersPerQuery))
        {
            found.AddRange(await photos.ListNewestByOwnersAsync(chunk, viewer, before, limit, cancellationToken).ConfigureAwait(false));
        }

        return found.OrderByDescending(p => p.Id.Value).Take(limit).ToList();
    }

    /// <summary>Every account a user follows with approval.</summary>
    internal static async Task<List<UserId>> FolloweesAsync(ISocialGraph graph, UserId user, CancellationToken cancellationToken)
    {
        var all = new List<UserId>();
        string? cursor = null;
        do
        {
            var page = await graph.GetFollowingAsync(user, new PageRequest(cursor, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }
}
