using System.Collections.Concurrent;
using ImageSocial.ProviderServices;

namespace ImageSocial;

/// <summary>Hybrid feeds: an author with at most <see cref="FeedOptions.FanOutThreshold"/> followers is pushed on write (a job) into the
/// stored timelines of the followers active within <see cref="FeedOptions.ActiveWithin"/>; larger authors are recorded as pulled and
/// read at page time, merged with the timeline newest first.</summary>
/// <remarks>
/// <para>A timeline holds ids only. Every page is hydrated through the store's visibility check and keeps only authors the viewer follows
/// now, so an entry that outlived a deletion, a visibility change, an unfollow or an account turning private is never shown; removing
/// entries on those events is hygiene that keeps pages full.</para>
/// <para>A viewer not marked active within the window (back after a long absence, or a timeline lost with its store) gets a pulled page
/// at once and a <see cref="OutboxKinds.FeedRebuild"/> job; the rebuild merges their non-pulled followees' newest photos in, then marks
/// the viewer active, so every later fan-out reaches them and pages read the timeline, then merges once more for posts in between.
/// Pages beyond a timeline trimmed at its capacity are pulled.</para>
/// </remarks>
public sealed class HybridFeedBuilder : IFeedBuilder
{
    private static readonly TimeSpan PulledRefresh = TimeSpan.FromSeconds(30);

    private readonly ISocialGraph graph;
    private readonly IPhotoStore photos;
    private readonly ITimelineStore timelines;
    private readonly IOutbox outbox;
    private readonly FeedOptions options;
    private readonly TimeProvider time;
    private readonly PullFeedBuilder pull;
    // Marks written by this process, so that a page does not ask the store whether its viewer is active (bounded: cleared when large).
    private readonly ConcurrentDictionary<UserId, DateTimeOffset> marked = new();
    private readonly ConcurrentDictionary<UserId, DateTimeOffset> rebuildRequested = new();
    // Which pulled authors a viewer follows, for a short while: a follow change through this process forgets it at once; one through
    // another host shows within PulledRefresh. Never a leak: the pull applies the visibility rule with the follow edge as it is now.
    private readonly ConcurrentDictionary<UserId, PulledFollowees> pulledFolloweesOf = new();
    private volatile PulledSet? pulled;

    /// <summary>Creates the builder.</summary>
    /// <param name="graph">The follow graph.</param>
    /// <param name="photos">The photo store (hydration and pulls, with its visibility rule).</param>
    /// <param name="timelines">Where timelines are stored.</param>
    /// <param name="outbox">Where rebuild jobs are enqueued.</param>
    /// <param name="options">The feed's settings.</param>
    /// <param name="time">The clock.</param>
    public HybridFeedBuilder(ISocialGraph graph, IPhotoStore photos, ITimelineStore timelines, IOutbox outbox, FeedOptions options, TimeProvider time)
    {
        this.graph = graph ?? throw new ArgumentNullException(nameof(graph));
        this.photos = photos ?? throw new ArgumentNullException(nameof(photos));
        this.timelines = timelines ?? throw new ArgumentNullException(nameof(timelines));
        this.outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        pull = new PullFeedBuilder(graph, photos);
    }

    /// <summary>How often a viewer's activity mark is renewed: a fraction of the window, so a mark is never near its end while the viewer reads.</summary>
    private TimeSpan MarkEvery => options.ActiveWithin / 8;

    /// <inheritdoc />
    public async Task<Page<Photo>> GetPageAsync(UserId viewer, PageRequest page, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!await IsWarmAsync(viewer, now, cancellationToken).ConfigureAwait(false))
        {
            await RequestRebuildAsync(viewer, now, cancellationToken).ConfigureAwait(false);
            return await pull.GetPageAsync(viewer, page, cancellationToken).ConfigureAwait(false);
        }

        var before = IdCursor.Decode(page.Cursor) is { } b ? new PhotoId(b) : (PhotoId?)null;
        var want = page.EffectiveLimit + 1;
        var pulledAuthors = await PulledAsync(cancellationToken).ConfigureAwait(false);
        var pulledFollowees = await PulledFolloweesAsync(viewer, pulledAuthors, now, cancellationToken).ConfigureAwait(false);
        var pulledTask = pulledFollowees.Count == 0 ? Task.FromResult<IReadOnlyList<Photo>>([]) :
            photos.ListNewestByOwnersAsync(pulledFollowees, viewer, before, want, cancellationToken);
        var (stored, horizon, entriesRead) = await ReadTimelineAsync(viewer, before, want, pulledAuthors, cancellationToken).ConfigureAwait(false);
        var merged = Merge(stored, await pulledTask.ConfigureAwait(false), want);
        if (merged.Count < want && horizon is not null && !await IsCompleteAsync(viewer, before, entriesRead, cancellationToken).ConfigureAwait(false))
        {
            // The timeline ended at its capacity: older photos of the fanned-out followees are pulled.
            var rest = await FannedOutNewestAsync(viewer, pulledFollowees, horizon, want, cancellationToken).ConfigureAwait(false);
            merged = Merge(merged, rest, want);
        }

        return merged.Count > page.EffectiveLimit
            ? new Page<Photo>(merged.GetRange(0, page.EffectiveLimit), IdCursor.Encode(merged[page.EffectiveLimit - 1].Id.Value))
            : new Page<Photo>(merged, null);
    }

    /// <inheritdoc />
    /// <remarks>Fans out to the author's followers active within the window; an author with more followers than the threshold is
    /// recorded as pulled instead. A private photo is pushed to nobody.</remarks>
    public async Task OnPublishedAsync(Photo photo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        if (photo.DeletedAt is not null || photo.Visibility == Visibility.Private)
        {
            return;
        }

        var followers = new List<UserId>();
        string? cursor = null;
        do
        {
            var page = await graph.GetFollowersAsync(photo.OwnerId, new PageRequest(cursor, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false);
            followers.AddRange(page.Items);
            cursor = page.NextCursor;
            if (followers.Count > options.FanOutThreshold)
            {
                await timelines.SetPulledAsync(photo.OwnerId, true, cancellationToken).ConfigureAwait(false);
                pulled = null;
                return;
            }
        }
        while (cursor is not null);

        var active = await timelines.GetActiveAsync(followers, time.GetUtcNow() - options.ActiveWithin, cancellationToken).ConfigureAwait(false);
        await timelines.AddAsync(active.ToList(), new TimelineEntry(photo.Id, photo.OwnerId), options.MaxItems, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task OnUpdatedAsync(Photo photo, CancellationToken cancellationToken = default) => OnPublishedAsync(photo, cancellationToken);

    /// <inheritdoc />
    public async Task OnDeletedAsync(Photo photo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        await timelines.RemovePhotoAsync(photo.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Merges the followee's newest photos the follower may see, up to the capacity, into the follower's timeline (a pulled author
    /// is read at page time), so that a timeline that never reached its capacity holds every photo its owner's feed can show.</remarks>
    public async Task OnFollowedAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default)
    {
        pulledFolloweesOf.TryRemove(follower, out _);
        if ((await PulledAsync(cancellationToken).ConfigureAwait(false)).Contains(followee))
        {
            return;
        }

        var recent = await photos.ListNewestByOwnersAsync([followee], follower, null, options.MaxItems, cancellationToken).ConfigureAwait(false);
        await timelines.AddManyAsync(follower, recent.Select(p => new TimelineEntry(p.Id, p.OwnerId)).ToList(), options.MaxItems, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task OnUnfollowedAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default)
    {
        pulledFolloweesOf.TryRemove(follower, out _);
        await timelines.RemoveAuthorAsync(follower, followee, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Merges the newest photos of the viewer's fanned-out followees (up to the timeline's capacity), marks the viewer active
    /// (every later fan-out reaches them, and pages read the timeline from then on), then merges again: a photo whose fan-out ran between
    /// the first merge and the mark is caught by the second. Marking first would let a page read a timeline the merge had not filled yet.</remarks>
    public async Task RebuildAsync(UserId viewer, CancellationToken cancellationToken = default)
    {
        await MergeNewestAsync(viewer, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await timelines.MarkActiveAsync(viewer, now, cancellationToken).ConfigureAwait(false);
        await MergeNewestAsync(viewer, cancellationToken).ConfigureAwait(false);
        Remember(viewer, now);
        rebuildRequested.TryRemove(viewer, out _);
    }

    private async Task MergeNewestAsync(UserId viewer, CancellationToken cancellationToken)
    {
        var pulledAuthors = await PulledAsync(cancellationToken).ConfigureAwait(false);
        var newest = await FannedOutNewestAsync(viewer, pulledAuthors, null, options.MaxItems, cancellationToken).ConfigureAwait(false);
        await timelines.AddManyAsync(viewer, newest.Select(p => new TimelineEntry(p.Id, p.OwnerId)).ToList(), options.MaxItems, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the viewer's timeline has been receiving fan-out (marked active within the window); renews the mark now and then.</summary>
    private async Task<bool> IsWarmAsync(UserId viewer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (marked.TryGetValue(viewer, out var at) && now - at < MarkEvery)
        {
            return true;
        }

        if ((await timelines.GetActiveAsync([viewer], now - options.ActiveWithin, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return false;
        }

        await timelines.MarkActiveAsync(viewer, now, cancellationToken).ConfigureAwait(false);
        Remember(viewer, now);
        return true;
    }

    private void Remember(UserId viewer, DateTimeOffset at)
    {
        if (marked.Count > 1_000_000)
        {
            marked.Clear();
        }

        marked[viewer] = at;
    }

    /// <summary>Enqueues one rebuild per viewer per minute from this process (the job is idempotent; a duplicate from another host is harmless).</summary>
    private async Task RequestRebuildAsync(UserId viewer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rebuildRequested.TryGetValue(viewer, out var at) && now - at < TimeSpan.FromMinutes(1))
        {
            return;
        }

        rebuildRequested[viewer] = now;
        await outbox.EnqueueAsync([OutboxMessage.Create(OutboxKinds.FeedRebuild, viewer.Value)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Timeline entries below <paramref name="before"/>, hydrated through the visibility check, of authors the viewer still follows and
    /// that are not pulled (those come from the pull side); the horizon is set when the timeline has no more entries.</summary>
    private async Task<(List<Photo> Photos, PhotoId? Horizon, int EntriesRead)> ReadTimelineAsync(UserId viewer, PhotoId? before, int want, IReadOnlySet<UserId> pulledAuthors,
        CancellationToken cancellationToken)
    {
        var found = new List<Photo>(want);
        var cursor = before;
        var read = 0;
        while (found.Count < want)
        {
            var entries = await timelines.ReadAsync(viewer, cursor, want, options.MaxItems, cancellationToken).ConfigureAwait(false);
            read += entries.Count;
            if (entries.Count > 0)
            {
                var authors = entries.Select(e => e.Author).Where(a => !pulledAuthors.Contains(a)).Distinct().ToList();
                var followed = authors.Count == 0 ? new HashSet<UserId>() : await graph.GetFollowedAmongAsync(viewer, authors, cancellationToken).ConfigureAwait(false);
                var ids = entries.Where(e => followed.Contains(e.Author)).Select(e => e.Photo).ToList();
                if (ids.Count > 0)
                {
                    found.AddRange(await photos.GetVisibleAsync(ids, viewer, cancellationToken).ConfigureAwait(false));
                }

                cursor = entries[^1].Photo;
            }

            if (entries.Count < want)
            {
                return (found, cursor ?? new PhotoId(long.MaxValue), read);
            }
        }

        return (found, null, read);
    }

    /// <summary>Whether a timeline that ended holds every photo of the fanned-out followees: it was never trimmed, so it holds fewer
    /// entries than its capacity (a rebuild and a follow merge take up to the capacity, and fan-out adds every later photo).</summary>
    private async Task<bool> IsCompleteAsync(UserId viewer, PhotoId? before, int entriesRead, CancellationToken cancellationToken) =>
        before is null
            ? entriesRead < options.MaxItems
            : (await timelines.ReadAsync(viewer, null, options.MaxItems, options.MaxItems, cancellationToken).ConfigureAwait(false)).Count < options.MaxItems;

    /// <summary>The newest photos, below <paramref name="before"/>, of the viewer's followees other than <paramref name="pulled"/> (the ones fanned out).</summary>
    private async Task<List<Photo>> FannedOutNewestAsync(UserId viewer, IReadOnlySet<UserId> pulled, PhotoId? before, int limit, CancellationToken cancellationToken)
    {
        var followees = (await PullFeedBuilder.FolloweesAsync(graph, viewer, cancellationToken).ConfigureAwait(false)).Where(f => !pulled.Contains(f)).ToList();
        return await PullFeedBuilder.NewestAsync(photos, followees, viewer, before, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Two newest-first lists merged, duplicates dropped, cut at <paramref name="want"/>.</summary>
    private static List<Photo> Merge(IReadOnlyList<Photo> a, IReadOnlyList<Photo> b, int want)
    {
        var seen = new HashSet<PhotoId>();
        return a.Concat(b).Where(p => seen.Add(p.Id)).OrderByDescending(p => p.Id.Value).Take(want).ToList();
    }

    private async Task<IReadOnlySet<UserId>> PulledAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (pulled is { } current && now - current.ReadAt < PulledRefresh)
        {
            return current.Authors;
        }

        var authors = await timelines.GetPulledAsync(cancellationToken).ConfigureAwait(false);
        pulled = new PulledSet(authors, now);
        return authors;
    }

    private async Task<IReadOnlySet<UserId>> PulledFolloweesAsync(UserId viewer, IReadOnlySet<UserId> pulledAuthors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (pulledAuthors.Count == 0)
        {
            return pulledAuthors;
        }

        if (pulledFolloweesOf.TryGetValue(viewer, out var known) && ReferenceEquals(known.Of, pulledAuthors) && now - known.ReadAt < PulledRefresh)
        {
            return known.Followees;
        }

        var followees = await graph.GetFollowedAmongAsync(viewer, pulledAuthors, cancellationToken).ConfigureAwait(false);
        if (pulledFolloweesOf.Count > 100_000)
        {
            pulledFolloweesOf.Clear();
        }

        pulledFolloweesOf[viewer] = new PulledFollowees(followees, pulledAuthors, now);
        return followees;
    }

    private sealed record PulledSet(IReadOnlySet<UserId> Authors, DateTimeOffset ReadAt);

    private sealed record PulledFollowees(IReadOnlySet<UserId> Followees, IReadOnlySet<UserId> Of, DateTimeOffset ReadAt);
}
