using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.Storage.Sqlite;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageSocial.Benchmarks;

/// <summary><c>feed --users N --mean-following F --photos P [--store sqlite|postgres|redis] [--viewers 2000] [--posts 200] [--data DIR] --json OUT</c>:
/// a generated power-law graph (<see cref="FeedData"/>) bulk-loaded into the metadata store, then feed pages (20 items, pages 1 and 2)
/// for random viewers through the pull builder and the hybrid builder on the same data, fan-out cost per post through the hybrid
/// builder's own fan-out, and the stored timelines' size. <c>--store redis</c> keeps the metadata in SQLite and the timelines in Redis.</summary>
internal static class FeedBench
{
    private const int PageSize = 20;

    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        var users = int.Parse(options.One("--users", "100000"), CultureInfo.InvariantCulture);
        var meanFollowing = double.Parse(options.One("--mean-following", "100"), CultureInfo.InvariantCulture);
        var photoCount = int.Parse(options.One("--photos", "1000000"), CultureInfo.InvariantCulture);
        var store = options.One("--store", "sqlite");
        var viewerCount = int.Parse(options.One("--viewers", "2000"), CultureInfo.InvariantCulture);
        var posts = int.Parse(options.One("--posts", "200"), CultureInfo.InvariantCulture);
        var json = options.One("--json", "");
        var data = Path.GetFullPath(options.One("--data", Path.Combine(Path.GetTempPath(), $"imagesocial-bench-feed-{users}-{meanFollowing}-{photoCount}")));
        Directory.CreateDirectory(data);

        var watch = Stopwatch.StartNew();
        Console.WriteLine($"generating {users:N0} users, mean following {meanFollowing}, {photoCount:N0} photos (seeded)");
        var set = store == "postgres" ? new FeedData(users, meanFollowing, photoCount, FeedPostgres.Shards) : new FeedData(users, meanFollowing, photoCount);
        var top = set.FollowerCounts.OrderDescending().Take(5).ToList();
        Console.WriteLine($"  {set.EdgeCount:N0} follow edges in {watch.Elapsed.TotalSeconds:F0} s; most followed: {string.Join(", ", top.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)))}; " +
            $"accounts with >= 100K followers: {set.FollowerCounts.Count(c => c >= 100_000)}");

        var feedOptions = new FeedOptions { Mode = FeedMode.Hybrid };
        var results = new List<object>();
        object fanOut;
        long timelineBytes;
        var loadSeconds = 0.0;
        if (store == "postgres")
        {
            var postgres = await FeedPostgres.OpenAsync(set, data, feedOptions);
            await using var scope = postgres.ConfigureAwait(false);
            loadSeconds = postgres.LoadSeconds;
            (fanOut, timelineBytes) = await MeasureAsync("postgres", set, postgres.Store, postgres.Store, postgres.Store, postgres.Store, feedOptions, viewerCount, posts, results,
                () => postgres.TimelineBytesAsync());
        }
        else
        {
            var path = Path.Combine(data, "sqlite", "meta.db");
            var loaded = Path.Combine(data, "sqlite.loaded");
            if (!File.Exists(loaded))
            {
                watch.Restart();
                FeedSqliteLoader.Load(path, set);
                loadSeconds = watch.Elapsed.TotalSeconds;
                await File.WriteAllTextAsync(loaded, loadSeconds.ToString(CultureInfo.InvariantCulture));
                Console.WriteLine($"  SQLite loaded in {loadSeconds:F0} s");
            }
            else
            {
                loadSeconds = double.Parse(await File.ReadAllTextAsync(loaded), CultureInfo.InvariantCulture);
                Console.WriteLine($"  SQLite loaded earlier (took {loadSeconds:F0} s)");
            }

            using var sqlite = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = path, DurableCommits = false }));
            FeedSqliteLoader.ResetTimelines(path);
            if (store == "redis")
            {
                using var redis = RedisServer.Start();
                var services = new ServiceCollection();
                services.AddImageSocial().AddRedisTimelines(o => o.Configuration = redis.Configuration);
                await using var provider = services.BuildServiceProvider();
                var timelines = provider.GetRequiredService<ITimelineStore>();
                (fanOut, timelineBytes) = await MeasureAsync("redis", set, sqlite, sqlite, sqlite, timelines, feedOptions, viewerCount, posts, results,
                    () => UsedMemoryAsync(redis.Configuration));
            }
            else
            {
                (fanOut, timelineBytes) = await MeasureAsync("sqlite", set, sqlite, sqlite, sqlite, sqlite, feedOptions, viewerCount, posts, results,
                    () => Task.FromResult(FeedSqliteLoader.TimelineBytes(path)));
            }
        }

        if (json.Length > 0)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
            {
                users,
                edges = set.EdgeCount,
                photos = photoCount,
                results,
                fanOut,
                timelineBytes,
            }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {json} (loading took {loadSeconds:F0} s)");
        }

        return 0;
    }

    private static async Task<(object FanOut, long TimelineBytes)> MeasureAsync(string name, FeedData set, ISocialGraph graph, IPhotoStore photos, IOutbox outbox,
        ITimelineStore timelines, FeedOptions feedOptions, int viewerCount, int posts, List<object> results, Func<Task<long>> timelineBytes)
    {
        var random = new Random(7);
        var viewers = Enumerable.Range(0, viewerCount * 4).Select(_ => random.Next(set.UserIds.Length)).Where(v => set.Following[v].Length > 0).Distinct().Take(viewerCount).ToList();
        var pull = new PullFeedBuilder(graph, photos);
        var counting = new CountingTimelines(timelines);
        var hybrid = new HybridFeedBuilder(graph, photos, counting, outbox, feedOptions, TimeProvider.System);

        // The pulled authors: what fan-out records on an author's first post over the threshold (the same code path, one post each).
        var large = Enumerable.Range(0, set.UserIds.Length).Where(u => set.FollowerCounts[u] > feedOptions.FanOutThreshold).ToList();
        foreach (var author in large)
        {
            await timelines.SetPulledAsync(new UserId(set.UserIds[author]), true);
        }

        var before = await timelineBytes();
        var watch = Stopwatch.StartNew();
        foreach (var viewer in viewers)
        {
            await hybrid.RebuildAsync(new UserId(set.UserIds[viewer]));
        }

        Console.WriteLine($"{name}: {large.Count} authors pulled (> {feedOptions.FanOutThreshold:N0} followers); {viewers.Count} viewers' timelines built in {watch.Elapsed.TotalSeconds:F1} s");
        var bytes = await timelineBytes() - before;

        foreach (var (mode, builder) in new (string, IFeedBuilder)[] { ("pull", pull), ("hybrid", hybrid) })
        {
            // Warm-up: one pass over the viewers, not timed.
            foreach (var viewer in viewers)
            {
                await builder.GetPageAsync(new UserId(set.UserIds[viewer]), new PageRequest(null, PageSize));
            }

            var samples = new List<(double Ms, int Following)>();
            foreach (var viewer in viewers)
            {
                var id = new UserId(set.UserIds[viewer]);
                var started = Stopwatch.GetTimestamp();
                var first = await builder.GetPageAsync(id, new PageRequest(null, PageSize));
                samples.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, set.Following[viewer].Length));
                if (first.NextCursor is { } cursor)
                {
                    started = Stopwatch.GetTimestamp();
                    await builder.GetPageAsync(id, new PageRequest(cursor, PageSize));
                    samples.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, set.Following[viewer].Length));
                }
            }

            var all = samples.Select(s => s.Ms).Order().ToList();
            results.Add(new { store = name, mode, p50Ms = Math.Round(Percentile(all, 0.50), 3), p99Ms = Math.Round(Percentile(all, 0.99), 3) });
            Console.WriteLine($"  {mode,-6} pages: {all.Count}, p50 {Percentile(all, 0.5):F2} ms, p99 {Percentile(all, 0.99):F2} ms, max {all[^1]:F2} ms");
            foreach (var (label, low, high) in new[] { ("< 50 followees", 0, 49), ("50-500", 50, 500), ("> 500", 501, int.MaxValue) })
            {
                var bucket = samples.Where(s => s.Following >= low && s.Following <= high).Select(s => s.Ms).Order().ToList();
                if (bucket.Count > 0)
                {
                    Console.WriteLine($"    {label,-15} {bucket.Count,5} pages, p50 {Percentile(bucket, 0.5):F2} ms, p99 {Percentile(bucket, 0.99):F2} ms");
                }
            }
        }

        // Fan-out: posts by authors picked by posting activity, each through the hybrid builder's fan-out (all viewers are active, and
        // a fifth of the other users are marked active too).
        foreach (var chunk in Enumerable.Range(0, set.UserIds.Length).Where(u => u % 5 == 0).Select(u => new UserId(set.UserIds[u])).Chunk(10_000))
        {
            foreach (var user in chunk)
            {
                await timelines.MarkActiveAsync(user, DateTimeOffset.UtcNow);
            }
        }

        counting.Writes = 0;
        var spent = 0.0;
        var now = (long)(DateTimeOffset.UtcNow - SnowflakeId.Epoch).TotalMilliseconds;
        for (var i = 0; i < posts; i++)
        {
            var author = set.PickAuthor(random);
            var photo = new Photo
            {
                Id = new PhotoId(SnowflakeId.Compose(now + i, SnowflakeId.GetLogicalShard(set.UserIds[author]), 0)),
                OwnerId = new UserId(set.UserIds[author]),
                Title = "",
                Tags = [],
                Visibility = Visibility.Public,
                Image = new ImageInfo("jpeg", 1, 1, 1, 1),
                RenditionContentType = "image/webp",
                OriginalBytes = 1,
            };
            var started = Stopwatch.GetTimestamp();
            await hybrid.OnPublishedAsync(photo);
            spent += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        var fanOut = new { msPerPost = Math.Round(spent / posts, 3), writesPerPost = Math.Round((double)counting.Writes / posts, 1) };
        Console.WriteLine($"  fan-out: {fanOut.msPerPost} ms and {fanOut.writesPerPost} timeline writes per post ({posts} posts); timelines: {bytes:N0} bytes for {viewers.Count} viewers");
        return (fanOut, bytes);
    }

    private static async Task<long> UsedMemoryAsync(string configuration)
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(configuration + ",allowAdmin=true");
        var info = await connection.GetServers()[0].InfoAsync("memory");
        return long.Parse(info.SelectMany(g => g).First(p => p.Key == "used_memory").Value, CultureInfo.InvariantCulture);
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Counts the timeline entries a fan-out writes.</summary>
    private sealed class CountingTimelines(ITimelineStore inner) : ITimelineStore
    {
        public long Writes;

        public Task AddAsync(IReadOnlyCollection<UserId> owners, TimelineEntry entry, int capacity, CancellationToken cancellationToken = default)
        {
            Interlocked.Add(ref Writes, owners.Count);
            return inner.AddAsync(owners, entry, capacity, cancellationToken);
        }

        public Task AddManyAsync(UserId owner, IReadOnlyCollection<TimelineEntry> entries, int capacity, CancellationToken cancellationToken = default) =>
            inner.AddManyAsync(owner, entries, capacity, cancellationToken);

        public Task<IReadOnlyList<TimelineEntry>> ReadAsync(UserId owner, PhotoId? before, int limit, int capacity, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(owner, before, limit, capacity, cancellationToken);

        public Task<int> RemoveAuthorAsync(UserId owner, UserId author, CancellationToken cancellationToken = default) => inner.RemoveAuthorAsync(owner, author, cancellationToken);

        public Task<int> RemovePhotoAsync(PhotoId photo, CancellationToken cancellationToken = default) => inner.RemovePhotoAsync(photo, cancellationToken);

        public Task<bool> ClearAsync(UserId owner, CancellationToken cancellationToken = default) => inner.ClearAsync(owner, cancellationToken);

        public Task MarkActiveAsync(UserId user, DateTimeOffset at, CancellationToken cancellationToken = default) => inner.MarkActiveAsync(user, at, cancellationToken);

        public Task<IReadOnlySet<UserId>> GetActiveAsync(IReadOnlyCollection<UserId> users, DateTimeOffset since, CancellationToken cancellationToken = default) =>
            inner.GetActiveAsync(users, since, cancellationToken);

        public Task SetPulledAsync(UserId author, bool pulled, CancellationToken cancellationToken = default) => inner.SetPulledAsync(author, pulled, cancellationToken);

        public Task<IReadOnlySet<UserId>> GetPulledAsync(CancellationToken cancellationToken = default) => inner.GetPulledAsync(cancellationToken);
    }
}
