using ImageSocial.ProviderServices;

namespace ImageSocial.Caching;

/// <summary>The core's read path through the shared cache (when a provider added one): photo records, profiles, follow sets and counts,
/// feed pages and similar results, cache-aside with per-key versions and stampede protection.</summary>
/// <remarks>
/// <para>Safety does not rest on the cache. Entity entries (a photo, a profile, whom a user follows) are viewer-independent facts, and every
/// read that answers a viewer applies the visibility rule to them here, in memory, exactly as the store's queries do (the conformance kit
/// holds the stores to <see cref="VisibilityRules"/>). Feed pages and similar results are keyed by viewer and only name photos: they are
/// hydrated through the same check, so an entry that outlived a deletion or a visibility change shows nothing it should not.</para>
/// <para>Every write that changes a fact invalidates its key after the store committed; entries are stored under the version read before
/// the load, so a slow load cannot put back what a write invalidated (see <see cref="ISharedCache"/>). Without a cache, or while it is
/// unavailable, every read goes to the stores.</para>
/// </remarks>
internal sealed class ReadCache(IPhotoStore photos, IUserStore users, ISocialGraph graph, IFeedBuilder feed, CacheOptions options, ISharedCache? shared)
{
    private static readonly IReadOnlySet<UserId> Nobody = new HashSet<UserId>();
    private readonly SingleFlight flights = new();

    internal static string PhotoKey(PhotoId id) => "p:" + id.Value;

    internal static string UserKey(UserId id) => "u:" + id.Value;

    internal static string FollowsKey(UserId id) => "f:" + id.Value;

    internal static string CountsKey(UserId id) => "n:" + id.Value;

    /// <summary>Photos by id, deleted ones included, with no visibility check (the caller applies one).</summary>
    internal async Task<IReadOnlyList<Photo>> PhotosAsync(IReadOnlyList<PhotoId> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct().ToList();
        var found = await EntitiesAsync("photo", distinct, PhotoKey, async missing => (await photos.GetManyAsync(missing, CancellationToken.None).ConfigureAwait(false))
            .ToDictionary(p => p.Id), CacheCodec.WritePhoto, CacheCodec.ReadPhoto, cancellationToken).ConfigureAwait(false);
        return distinct.Where(found.ContainsKey).Select(i => found[i]).ToList();
    }

    /// <summary>The photos among <paramref name="ids"/> that <paramref name="viewer"/> may see, in order: <see cref="IPhotoStore.GetVisibleAsync"/>.</summary>
    internal async Task<IReadOnlyList<Photo>> VisiblePhotosAsync(IReadOnlyList<PhotoId> ids, UserId viewer, CancellationToken cancellationToken) =>
        shared is null || ids.Count == 0
            ? await photos.GetVisibleAsync(ids, viewer, cancellationToken).ConfigureAwait(false)
            : await FilterVisibleAsync(await PhotosAsync(ids, cancellationToken).ConfigureAwait(false), viewer, cancellationToken).ConfigureAwait(false);

    /// <summary>A photo the viewer may see, or one of the viewer's own (deleted ones included); <see langword="null"/> otherwise.</summary>
    internal async Task<Photo?> VisibleOrOwnAsync(PhotoId id, UserId viewer, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            var visible = await photos.GetVisibleAsync([id], viewer, cancellationToken).ConfigureAwait(false);
            if (visible.Count == 1)
            {
                return visible[0];
            }

            var own = await photos.GetAsync(id, cancellationToken).ConfigureAwait(false);
            return own is not null && own.OwnerId == viewer ? own : null;
        }

        var photo = (await PhotosAsync([id], cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        return photo is null ? null : photo.OwnerId == viewer ? photo : (await FilterVisibleAsync([photo], viewer, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <summary>Users by id; unknown ids are absent.</summary>
    internal async Task<IReadOnlyDictionary<UserId, User>> UsersAsync(IReadOnlyCollection<UserId> ids, CancellationToken cancellationToken) =>
        shared is null
            ? await users.GetManyAsync(ids, cancellationToken).ConfigureAwait(false)
            : await EntitiesAsync("user", ids.Distinct().ToList(), UserKey, async missing => await users.GetManyAsync(missing, CancellationToken.None).ConfigureAwait(false),
                CacheCodec.WriteUser, CacheCodec.ReadUser, cancellationToken).ConfigureAwait(false);

    internal async Task<User?> UserAsync(UserId id, CancellationToken cancellationToken) =>
        shared is null
            ? await users.GetAsync(id, cancellationToken).ConfigureAwait(false)
            : (await UsersAsync([id], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(id);

    /// <summary>Everyone <paramref name="user"/> follows with approval.</summary>
    internal async Task<IReadOnlySet<UserId>> FolloweesAsync(UserId user, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return (await PullFeedBuilder.FolloweesAsync(graph, user, cancellationToken).ConfigureAwait(false)).ToHashSet();
        }

        var found = await EntitiesAsync("follows", [user], FollowsKey, async _ => new Dictionary<UserId, long[]>
        {
            [user] = (await PullFeedBuilder.FolloweesAsync(graph, user, CancellationToken.None).ConfigureAwait(false)).Select(u => u.Value).ToArray(),
        }, CacheCodec.WriteIds, CacheCodec.ReadIds, cancellationToken).ConfigureAwait(false);
        return found[user].Select(i => new UserId(i)).ToHashSet();
    }

    /// <summary>A user's numbers of approved followers and followees.</summary>
    internal async Task<(long Followers, long Following)> CountsAsync(UserId user, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return await graph.GetCountsAsync(user, cancellationToken).ConfigureAwait(false);
        }

        var found = await EntitiesAsync("counts", [user], CountsKey, async _ =>
        {
            var (followers, following) = await graph.GetCountsAsync(user, CancellationToken.None).ConfigureAwait(false);
            return new Dictionary<UserId, long[]> { [user] = [followers, following] };
        }, CacheCodec.WriteIds, CacheCodec.ReadIds, cancellationToken).ConfigureAwait(false);
        return (found[user][0], found[user][1]);
    }

    /// <summary>A page of the viewer's feed: the page's photo ids are cached per viewer (until the viewer's follows change or
    /// <see cref="CacheOptions.FeedPageLifetime"/> passes) and hydrated through the visibility check on every read. Hybrid feeds are
    /// not cached: their pages are already a few indexed reads, and a cached page would hide what fan-out just pushed.</summary>
    internal async Task<Page<Photo>> FeedAsync(UserId viewer, PageRequest page, CancellationToken cancellationToken)
    {
        if (shared is null || feed is HybridFeedBuilder)
        {
            return await feed.GetPageAsync(viewer, page, cancellationToken).ConfigureAwait(false);
        }

        var key = $"feed:{viewer.Value}:{page.EffectiveLimit}:{page.Cursor}";
        var (hit, compute) = await DerivedAsync("feed", viewer, key, options.FeedPageLifetime,
            r => (Ids: CacheCodec.ReadIds(r), Next: CacheCodec.ReadText(r)),
            async () =>
            {
                var computed = await feed.GetPageAsync(viewer, page, CancellationToken.None).ConfigureAwait(false);
                return (computed, (Action<BinaryWriter>)(w =>
                {
                    CacheCodec.WriteIds(w, computed.Items.Select(p => p.Id.Value).ToList());
                    CacheCodec.WriteText(w, computed.NextCursor);
                }));
            }, cancellationToken).ConfigureAwait(false);
        if (compute is not null)
        {
            return compute;
        }

        var shown = await VisiblePhotosAsync(hit.Ids.Select(i => new PhotoId(i)).ToList(), viewer, cancellationToken).ConfigureAwait(false);
        return new Page<Photo>(shown, hit.Next);
    }

    /// <summary>Similar photos to a stored photo: the result (ids and scores) is cached per viewer, space and limit (until the viewer's
    /// follows change or <see cref="CacheOptions.SimilarResultsLifetime"/> passes) and hydrated through the visibility check on every read.</summary>
    internal async Task<IReadOnlyList<ScoredPhoto>> SimilarAsync(UserId viewer, string space, PhotoId query, int limit,
        Func<Task<IReadOnlyList<ScoredPhoto>>> search, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return await search().ConfigureAwait(false);
        }

        var key = $"sim:{space}:{viewer.Value}:{query.Value}:{limit}";
        var (hit, computed) = await DerivedAsync("similar", viewer, key, options.SimilarResultsLifetime,
            r =>
            {
                var ids = CacheCodec.ReadIds(r);
                return (Ids: ids, Scores: ids.Select(_ => r.ReadSingle()).ToArray());
            },
            async () =>
            {
                var result = await search().ConfigureAwait(false);
                return (result, (Action<BinaryWriter>)(w =>
                {
                    CacheCodec.WriteIds(w, result.Select(s => s.Photo.Id.Value).ToList());
                    foreach (var scored in result)
                    {
                        w.Write(scored.Score);
                    }
                }));
            }, cancellationToken).ConfigureAwait(false);
        if (computed is not null)
        {
            return computed;
        }

        var shown = (await VisiblePhotosAsync(hit.Ids.Select(i => new PhotoId(i)).ToList(), viewer, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id);
        return hit.Ids.Select((id, i) => (Id: new PhotoId(id), Score: hit.Scores[i])).Where(x => shown.ContainsKey(x.Id))
            .Select(x => new ScoredPhoto(shown[x.Id], x.Score)).ToList();
    }

    /// <summary>A photo's record changed (edit, delete, restore, purge, a like or a comment).</summary>
    internal Task PhotosChangedAsync(IEnumerable<PhotoId> ids) => InvalidateAsync(ids.Select(PhotoKey).ToList());

    /// <summary>A profile changed (display name, private flag).</summary>
    internal Task UserChangedAsync(UserId id) => InvalidateAsync([UserKey(id)]);

    /// <summary>An approved follow edge appeared or went away: the follower's follow set and both users' counts.</summary>
    internal Task FollowChangedAsync(UserId follower, UserId followee) => InvalidateAsync([FollowsKey(follower), CountsKey(follower), CountsKey(followee)]);

    private Task InvalidateAsync(IReadOnlyList<string> keys) =>
        shared is null || keys.Count == 0 ? Task.CompletedTask : shared.InvalidateAsync(keys, CancellationToken.None);

    /// <summary>The visibility rule over photos already read: owners, and the viewer's follows when a photo needs them, come from the cache too.</summary>
    private async Task<IReadOnlyList<Photo>> FilterVisibleAsync(IReadOnlyList<Photo> found, UserId viewer, CancellationToken cancellationToken)
    {
        // Hidden posts are their owner's alone, and a suspended owner's posts nobody's, as in the stores' rule.
        var live = found.Where(p => p.DeletedAt is null && (p.HiddenReason is null || p.OwnerId == viewer)).ToList();
        var owners = await UsersAsync(live.Select(p => p.OwnerId).Where(o => o != viewer).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        var needFollows = live.Any(p => p.OwnerId != viewer && p.Visibility != Visibility.Private
            && !(p.Visibility == Visibility.Public && owners.TryGetValue(p.OwnerId, out var owner) && !owner.IsPrivate));
        var follows = needFollows ? await FolloweesAsync(viewer, cancellationToken).ConfigureAwait(false) : Nobody;
        return live.Where(p => p.OwnerId == viewer || (owners.TryGetValue(p.OwnerId, out var owner) && !owner.IsSuspended
            && VisibilityRules.CanSee(viewer, p.OwnerId, p.Visibility, owner.IsPrivate, follows.Contains(p.OwnerId)))).ToList();
    }

    /// <summary>Cache-aside for entities: one round trip for every key's version and entry, one batched store load (shared with concurrent
    /// misses of the same keys) for the misses, which are then stored under the versions read first.</summary>
    private async Task<Dictionary<TId, TValue>> EntitiesAsync<TId, TValue>(string kind, IReadOnlyList<TId> ids, Func<TId, string> keyOf,
        Func<IReadOnlyList<TId>, Task<IReadOnlyDictionary<TId, TValue>>> load, Action<BinaryWriter, TValue> write, Func<BinaryReader, TValue> read,
        CancellationToken cancellationToken)
        where TId : notnull
        where TValue : class
    {
        var result = new Dictionary<TId, TValue>(ids.Count);
        if (ids.Count == 0)
        {
            return result;
        }

        var keys = ids.Select(keyOf).ToList();
        var cached = await shared!.GetAsync(keys, cancellationToken).ConfigureAwait(false);
        if (cached is null)
        {
            CacheTelemetry.Unavailable(kind);
            return new Dictionary<TId, TValue>(await load(ids).WaitAsync(cancellationToken).ConfigureAwait(false));
        }

        var missing = new List<int>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (cached[i].Value is { } bytes && CacheCodec.Read(bytes, read) is { } value)
            {
                result[ids[i]] = value;
            }
            else
            {
                missing.Add(i);
            }
        }

        CacheTelemetry.Requests(kind, ids.Count - missing.Count, missing.Count);
        if (missing.Count == 0)
        {
            return result;
        }

        var loaded = await flights.LoadAsync(missing.Select(i => keys[i] + "@" + cached[i].Version).ToList(), async mine =>
        {
            var wanted = mine.Select(j => missing[j]).ToList();
            var values = await load(wanted.Select(i => ids[i]).ToList()).ConfigureAwait(false);
            var writes = wanted.Where(i => values.ContainsKey(ids[i]))
                .Select(i => new CacheWrite(keys[i], cached[i].Version, CacheCodec.Write(w => write(w, values[ids[i]])), options.EntryLifetime)).ToList();
            await shared.SetAsync(writes, CancellationToken.None).ConfigureAwait(false);
            return wanted.Select(i => (object?)values.GetValueOrDefault(ids[i])).ToArray();
        }, cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < missing.Count; k++)
        {
            if (loaded[k] is TValue value)
            {
                result[ids[missing[k]]] = value;
            }
        }

        return result;
    }

    /// <summary>Cache-aside for a viewer's derived entry (a feed page, a similar result), valid while the viewer's follow set keeps the
    /// version it was computed under. Answers either the cached entry or the freshly computed value (already checked by whoever computed it).</summary>
    private async Task<(TCached Hit, TComputed? Computed)> DerivedAsync<TCached, TComputed>(string kind, UserId viewer, string key, TimeSpan lifetime,
        Func<BinaryReader, TCached> read, Func<Task<(TComputed Value, Action<BinaryWriter> Write)>> compute, CancellationToken cancellationToken)
        where TComputed : class
    {
        var cached = await shared!.GetAsync([FollowsKey(viewer), key], cancellationToken).ConfigureAwait(false);
        if (cached is null)
        {
            CacheTelemetry.Unavailable(kind);
            return (default!, (await compute().WaitAsync(cancellationToken).ConfigureAwait(false)).Value);
        }

        var follows = cached[0].Version;
        if (cached[1].Value is { } bytes && CacheCodec.Read(bytes, r => (Follows: r.ReadString(), Entry: read(r))) is { } entry && entry.Follows == follows)
        {
            CacheTelemetry.Requests(kind, 1, 0);
            return (entry.Entry, null);
        }

        CacheTelemetry.Requests(kind, 0, 1);
        var loaded = await flights.LoadAsync([key + "@" + cached[1].Version + "@" + follows], async _ =>
        {
            var (value, write) = await compute().ConfigureAwait(false);
            await shared.SetAsync([new CacheWrite(key, cached[1].Version, CacheCodec.Write(w =>
            {
                w.Write(follows);
                write(w);
            }), lifetime)], CancellationToken.None).ConfigureAwait(false);
            return [value];
        }, cancellationToken).ConfigureAwait(false);
        return (default!, (TComputed)loaded[0]!);
    }
}
