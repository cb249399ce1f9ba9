using System.Buffers.Binary;
using StackExchange.Redis;

namespace ImageSocial.Redis;

/// <summary>Timelines as Redis sorted sets: <c>tl:{user}</c> holds one member per photo, all with score 0 so that Redis orders them by their
/// bytes: the photo id big-endian, then the author's. Photo ids are 64-bit and time-ordered, and a double score could not hold them
/// exactly; byte order can, so paging is exact. <c>tl:p:{photo}</c> remembers the timelines a photo was pushed to; <c>active</c> scores
/// users by when they were last active.</summary>
internal sealed class RedisTimelineStore(RedisConnection connection) : ITimelineStore
{
    private const int OwnersPerScript = 500;
    private const string Active = "active";
    private const string Pulled = "tl:pulled";

    private const string PushScript = """
        for i = 2, #KEYS do
          redis.call('ZADD', KEYS[i], 0, ARGV[1])
          redis.call('ZREMRANGEBYRANK', KEYS[i], 0, ARGV[2])
        end
        redis.call('SADD', KEYS[1], unpack(ARGV, 4))
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        return #KEYS - 1
        """;

    private const string RemoveAuthorScript = """
        local n = 0
        for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          if string.sub(m, 9, 16) == ARGV[1] then
            redis.call('ZREM', KEYS[1], m)
            n = n + 1
          end
        end
        return n
        """;

    private RedisOptions Options => connection.Options;

    public Task AddAsync(IReadOnlyCollection<UserId> owners, TimelineEntry entry, int capacity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owners);
        return owners.Count == 0 ? Task.CompletedTask : RedisTelemetry.RunAsync("TimelinePush", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            foreach (var chunk in owners.Distinct().Chunk(OwnersPerScript))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await database.ScriptEvaluateAsync(PushScript, [PushedKey(entry.Photo), .. chunk.Select(TimelineKey)],
                    [Member(entry), -(capacity + 1), (long)Options.TimelinePushMemory.TotalSeconds, .. chunk.Select(o => (RedisValue)o.Value)]).ConfigureAwait(false);
            }
        });
    }

    public Task AddManyAsync(UserId owner, IReadOnlyCollection<TimelineEntry> entries, int capacity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries.Count == 0 ? Task.CompletedTask : RedisTelemetry.RunAsync("TimelineBackfill", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            var key = TimelineKey(owner);
            var batch = database.CreateBatch();
            var writes = new List<Task>
            {
                batch.SortedSetAddAsync(key, entries.Select(e => new SortedSetEntry(Member(e), 0)).ToArray()),
                batch.SortedSetRemoveRangeByRankAsync(key, 0, -(capacity + 1)),
            };
            foreach (var photo in entries.Select(e => e.Photo).Distinct())
            {
                writes.Add(batch.SetAddAsync(PushedKey(photo), owner.Value));
                writes.Add(batch.KeyExpireAsync(PushedKey(photo), Options.TimelinePushMemory));
            }

            batch.Execute();
            await Task.WhenAll(writes).WaitAsync(cancellationToken).ConfigureAwait(false);
        });
    }

    public Task<IReadOnlyList<TimelineEntry>> ReadAsync(UserId owner, PhotoId? before, int limit, int capacity, CancellationToken cancellationToken = default) =>
        limit <= 0 ? Task.FromResult<IReadOnlyList<TimelineEntry>>([]) : RedisTelemetry.RunAsync<IReadOnlyList<TimelineEntry>>("TimelineRead", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            var key = TimelineKey(owner);
            if (before is null)
            {
                var newest = await database.SortedSetRangeByRankAsync(key, 0, Math.Min(limit, capacity) - 1, Order.Descending).WaitAsync(cancellationToken).ConfigureAwait(false);
                return newest.Select(Entry).ToList();
            }

            // Both at once: the page below the cursor, and the oldest entry within the capacity (none when the timeline holds fewer),
            // which bounds the page.
            var floorTask = database.SortedSetRangeByRankAsync(key, -capacity, -capacity);
            var pageTask = database.SortedSetRangeByValueAsync(key, default, PhotoPrefix(before.Value), Exclude.Stop, Order.Descending, 0, limit);
            var floor = await floorTask.WaitAsync(cancellationToken).ConfigureAwait(false);
            var page = (await pageTask.WaitAsync(cancellationToken).ConfigureAwait(false)).Select(Entry);
            return floor.Length == 0 ? page.ToList() : page.Where(e => e.Photo.Value >= Entry(floor[0]).Photo.Value).ToList();
        });

    public Task<int> RemoveAuthorAsync(UserId owner, UserId author, CancellationToken cancellationToken = default) =>
        RedisTelemetry.RunAsync("TimelineRemoveAuthor", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            var id = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(id, author.Value);
            return (int)await database.ScriptEvaluateAsync(RemoveAuthorScript, [TimelineKey(owner)], [id]).WaitAsync(cancellationToken).ConfigureAwait(false);
        });

    public Task<int> RemovePhotoAsync(PhotoId photo, CancellationToken cancellationToken = default) =>
        RedisTelemetry.RunAsync("TimelineRemovePhoto", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            var owners = await database.SetMembersAsync(PushedKey(photo)).WaitAsync(cancellationToken).ConfigureAwait(false);
            var low = PhotoPrefix(photo);
            var high = new byte[16];
            low.CopyTo(high, 0);
            high.AsSpan(8).Fill(0xFF);
            var removed = await Task.WhenAll(owners.Select(o => database.SortedSetRemoveRangeByValueAsync(TimelineKey(new UserId((long)o)), low, high))).ConfigureAwait(false);
            await database.KeyDeleteAsync(PushedKey(photo)).ConfigureAwait(false);
            return removed.Count(n => n > 0);
        });

    public Task<bool> ClearAsync(UserId owner, CancellationToken cancellationToken = default) =>
        RedisTelemetry.RunAsync("TimelineClear", async () =>
            await (await connection.DatabaseAsync().ConfigureAwait(false)).KeyDeleteAsync(TimelineKey(owner)).WaitAsync(cancellationToken).ConfigureAwait(false));

    public Task MarkActiveAsync(UserId user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        RedisTelemetry.RunAsync("MarkActive", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            await database.SortedSetAddAsync(Active, user.Value, at.ToUnixTimeSeconds(), SortedSetWhen.GreaterThan).WaitAsync(cancellationToken).ConfigureAwait(false);
            // Now and then, forget marks older than the retention: cheap enough to do inline, rare enough not to matter.
            if (Random.Shared.Next(256) == 0)
            {
                await database.SortedSetRemoveRangeByScoreAsync(Active, double.NegativeInfinity, (at - Options.ActiveMarkRetention).ToUnixTimeSeconds()).ConfigureAwait(false);
            }
        });

    public Task<IReadOnlySet<UserId>> GetActiveAsync(IReadOnlyCollection<UserId> users, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        return users.Count == 0 ? Task.FromResult<IReadOnlySet<UserId>>(new HashSet<UserId>()) : RedisTelemetry.RunAsync<IReadOnlySet<UserId>>("GetActive", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            var list = users.Distinct().ToList();
            var scores = await database.SortedSetScoresAsync(Active, [.. list.Select(u => (RedisValue)u.Value)]).WaitAsync(cancellationToken).ConfigureAwait(false);
            var cutoff = since.ToUnixTimeSeconds();
            return list.Where((_, i) => scores[i] is { } score && score >= cutoff).ToHashSet();
        });
    }

    public Task SetPulledAsync(UserId author, bool pulled, CancellationToken cancellationToken = default) =>
        RedisTelemetry.RunAsync("SetPulled", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            await (pulled ? database.SetAddAsync(Pulled, author.Value) : database.SetRemoveAsync(Pulled, author.Value)).WaitAsync(cancellationToken).ConfigureAwait(false);
        });

    public Task<IReadOnlySet<UserId>> GetPulledAsync(CancellationToken cancellationToken = default) =>
        RedisTelemetry.RunAsync<IReadOnlySet<UserId>>("GetPulled", async () =>
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            return (await database.SetMembersAsync(Pulled).WaitAsync(cancellationToken).ConfigureAwait(false)).Select(m => new UserId((long)m)).ToHashSet();
        });

    private static RedisKey TimelineKey(UserId owner) => "tl:" + owner.Value;

    private static RedisKey PushedKey(PhotoId photo) => "tl:p:" + photo.Value;

    private static byte[] PhotoPrefix(PhotoId photo)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, photo.Value);
        return bytes;
    }

    private static byte[] Member(TimelineEntry entry)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, entry.Photo.Value);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), entry.Author.Value);
        return bytes;
    }

    private static TimelineEntry Entry(RedisValue member)
    {
        var bytes = (byte[])member!;
        return new TimelineEntry(new PhotoId(BinaryPrimitives.ReadInt64BigEndian(bytes)), new UserId(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8))));
    }
}
