using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.Redis;
using ImageSocial.Storage.Postgres;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Benchmarks;

/// <summary>The Redis provider, side by side in one run on one PostgreSQL server: batch gets of 50 photos and similar search with and
/// without the Redis cache (Zipf(1.1) popularity of photos and viewers), and the outbox drained by one host and by two hosts sharing
/// the job stream.</summary>
/// <remarks>The cached and uncached SDKs share one metadata database, blob folder and vector index, and take turns phase by phase. The
/// "hosts" are SDK instances in this process, each with its own runner and vector index: on two cores, two hosts share the same CPUs.</remarks>
internal static class RedisBench
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback;
        int Int(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var (photos, users, seconds, clients, jobs) = (Int("--photos", 1000), Int("--users", 100), Int("--seconds", 5), Int("--clients", 8), Int("--jobs", 300));
        var json = Option("--json", "");
        using var postgres = PostgresServer.StartPrimary();
        using var redis = RedisServer.Start();
        var data = Directory.CreateTempSubdirectory("imagesocial-redis-bench-").FullName;
        try
        {
            await using var plain = Sdk(postgres, redis, data, "plain", cache: false, jobs: false);
            var seed = await SeedAsync(plain.GetRequiredService<ImageSocialService>(), users, photos);
            await using var cached = Sdk(postgres, redis, data, "cached", cache: true, jobs: false, share: plain);
            var results = new List<object>();

            Console.WriteLine($"cache: {users} users, {photos} photos, {clients} clients, {seconds} s per phase, phases alternate uncached/cached twice");
            Console.WriteLine($"{"operation",-14}{"uncached op/s",15}{"p99 ms",9}{"cached op/s",13}{"p99 ms",9}{"hit ratio",11}{"ratio",8}");
            foreach (var operation in new[] { "batch get 50", "similar" })
            {
                var zipfPhotos = new Zipf(seed.Photos.Count, 1.1);
                var zipfUsers = new Zipf(seed.Users.Count, 1.1);
                Func<ImageSocialService, Random, Task> op = operation == "similar"
                    ? (sdk, r) => SimilarOrHiddenAsync(sdk.For(seed.Users[zipfUsers.Next(r)]), seed.Photos[zipfPhotos.Next(r)])
                    : (sdk, r) => sdk.For(seed.Users[zipfUsers.Next(r)]).GetPhotosAsync(Enumerable.Range(0, 50).Select(_ => seed.Photos[zipfPhotos.Next(r)]).Distinct().ToList());
                var phases = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
                var elapsed = new Dictionary<bool, double> { [false] = 0, [true] = 0 };
                var (hits, misses) = (0L, 0L);
                foreach (var withCache in new[] { false, true, false, true })
                {
                    using var counter = CacheCounter.Start();
                    var (latencies, took) = await PhaseAsync(withCache ? cached.GetRequiredService<ImageSocialService>() : plain.GetRequiredService<ImageSocialService>(), op, clients, seconds);
                    phases[withCache].AddRange(latencies);
                    elapsed[withCache] += took;
                    if (withCache)
                    {
                        (hits, misses) = (hits + counter.Hits, misses + counter.Misses);
                    }
                }

                double Rate(bool c) => phases[c].Count / elapsed[c];
                double P99(bool c) => Load.Percentile(phases[c].Order().ToArray(), 0.99);
                var hitRatio = hits + misses == 0 ? 0 : (double)hits / (hits + misses);
                Console.WriteLine($"{operation,-14}{Rate(false),15:F0}{P99(false),9:F2}{Rate(true),13:F0}{P99(true),9:F2}{hitRatio,11:P1}{Rate(true) / Rate(false),8:F2}");
                results.Add(new
                {
                    operation, uncachedPerSecond = Math.Round(Rate(false), 1), uncachedP99Ms = Math.Round(P99(false), 2), cachedPerSecond = Math.Round(Rate(true), 1),
                    cachedP99Ms = Math.Round(P99(true), 2), hitRatio = Math.Round(hitRatio, 4), ratio = Math.Round(Rate(true) / Rate(false), 3),
                });
            }

            Console.WriteLine($"jobs: {jobs} photos re-indexed (photo.restored: read the large rendition, embed, upsert, fan out), one host vs two, alternating twice");
            var prefix = RedisServer.NewPrefix();
            var drain = new Dictionary<int, double> { [1] = 0, [2] = 0 };
            foreach (var hosts in new[] { 1, 2, 1, 2 })
            {
                var runners = Enumerable.Range(0, hosts).Select(h => Sdk(postgres, redis, data, $"host{h}", cache: false, jobs: true, prefix: prefix)).ToList();
                var outbox = runners[0].GetRequiredService<IOutbox>();
                await outbox.EnqueueAsync(seed.Photos.Take(jobs).Select(p => OutboxMessage.Create(OutboxKinds.PhotoRestored, p.Value)).ToList());
                var watch = Stopwatch.StartNew();
                foreach (var runner in runners)
                {
                    await runner.GetRequiredService<ImageSocialService>().Jobs.StartAsync(CancellationToken.None);
                }

                while ((await outbox.GetStatsAsync(DateTimeOffset.UtcNow)) is { Due: > 0 } or { InFlight: > 0 })
                {
                    await Task.Delay(50);
                }

                drain[hosts] += watch.Elapsed.TotalSeconds;
                foreach (var runner in runners)
                {
                    await runner.DisposeAsync();
                }
            }

            var (one, two) = (2 * jobs / drain[1], 2 * jobs / drain[2]);
            Console.WriteLine($"{"one host",-14}{one,10:F1} jobs/s");
            Console.WriteLine($"{"two hosts",-14}{two,10:F1} jobs/s{two / one,8:F2}");
            results.Add(new { operation = "jobs", oneHostPerSecond = Math.Round(one, 2), twoHostsPerSecond = Math.Round(two, 2), ratio = Math.Round(two / one, 3) });
            if (json.Length > 0)
            {
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { photos, users, clients, seconds, results }, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>An SDK on the shared PostgreSQL database and blob folder; <paramref name="share"/> lends its vector index, so two SDKs
    /// answer similar search from the same index.</summary>
    private static ServiceProvider Sdk(PostgresServer postgres, RedisServer redis, string data, string name, bool cache, bool jobs,
        ServiceProvider? share = null, string? prefix = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddImageSocial(o =>
        {
            o.Jobs.AutoStart = false;
            o.Jobs.Name = name;
            o.Jobs.PollInterval = TimeSpan.FromMilliseconds(100);
        })
            .AddPostgresMetadata(o => o.Servers.Add(new PostgresServerOptions { Name = "pg", ConnectionString = postgres.ConnectionString() }));
        if (cache)
        {
            builder.AddRedisCache(o => (o.Configuration, o.KeyPrefix) = (redis.Configuration, "bench-cache:"));
        }

        if (jobs)
        {
            builder.AddRedisJobs(o => (o.Configuration, o.KeyPrefix) = (redis.Configuration, prefix!));
        }

        if (share is not null)
        {
            services.AddSingleton(share.GetRequiredService<IVectorIndex>());
        }

        builder.AddEmbeddedDefaults(Path.Combine(data, name));
        services.Configure<Storage.Local.LocalBlobStoreOptions>(o => o.RootPath = Path.Combine(data, "blobs"));

        return services.BuildServiceProvider();
    }

    private static async Task<(List<UserId> Users, List<PhotoId> Photos)> SeedAsync(ImageSocialService sdk, int users, int photos)
    {
        var watch = Stopwatch.StartNew();
        var accounts = new List<UserId>();
        for (var i = 0; i < users; i++)
        {
            accounts.Add((await sdk.CreateUserAsync($"user{i}", $"User {i}", isPrivate: i % 10 == 0)).Id);
        }

        var random = new Random(7);
        foreach (var user in accounts)
        {
            foreach (var followee in Enumerable.Range(0, 10).Select(_ => accounts[random.Next(accounts.Count)]).Where(f => f != user).Distinct())
            {
                await sdk.For(user).FollowAsync(followee);
            }
        }

        var images = Thumbs.GenerateJpegs(48, 320, 240);
        var ids = new PhotoId[photos];
        await Parallel.ForEachAsync(Enumerable.Range(0, photos), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var visibility = i % 5 == 0 ? Visibility.Followers : Visibility.Public;
            ids[i] = (await sdk.For(accounts[i % accounts.Count]).UploadPhotoAsync(images[i % images.Length], new PhotoDraft($"photo {i}") { Visibility = visibility }, ct)).Id;
        });
        await sdk.Jobs.WaitUntilIdleAsync();
        Console.WriteLine($"seeded {users} users and {photos} photos (indexed) in {watch.Elapsed.TotalSeconds:F0} s");
        return (accounts, ids.ToList());
    }

    private static async Task<(List<double> Latencies, double Seconds)> PhaseAsync(ImageSocialService sdk, Func<ImageSocialService, Random, Task> op, int clients, int seconds)
    {
        var latencies = new List<double>();
        var watch = Stopwatch.StartNew();
        var stop = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random((c * 7919) + 1);
            var mine = new List<double>();
            while (watch.Elapsed < stop)
            {
                var started = Stopwatch.GetTimestamp();
                await op(sdk, random);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        })));
        return (latencies, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Similar search as a viewer; a query photo the viewer may not see answers not found, which is an answer too.</summary>
    private static async Task SimilarOrHiddenAsync(ActingUser viewer, PhotoId photo)
    {
        try
        {
            await viewer.FindSimilarAsync(photo, 20);
        }
        catch (NotFoundException)
        {
        }
    }


    /// <summary>Zipf(s) over ranks 0..n-1 by inverse transform on the cumulative weights.</summary>
    private sealed class Zipf
    {
        private readonly double[] cumulative;

        public Zipf(int n, double s)
        {
            cumulative = new double[n];
            var sum = 0.0;
            for (var k = 0; k < n; k++)
            {
                cumulative[k] = sum += 1 / Math.Pow(k + 1, s);
            }

            for (var k = 0; k < n; k++)
            {
                cumulative[k] /= sum;
            }
        }

        public int Next(Random random)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble());
            return Math.Min(cumulative.Length - 1, index >= 0 ? index : ~index);
        }
    }

    /// <summary>Counts the core's cache hits and misses while it lives.</summary>
    private sealed class CacheCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private long hits;
        private long misses;

        public long Hits => Interlocked.Read(ref hits);

        public long Misses => Interlocked.Read(ref misses);

        public static CacheCounter Start()
        {
            var counter = new CacheCounter();
            counter.listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "imagesocial.cache.requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            counter.listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "imagesocial.cache.outcome")
                    {
                        Interlocked.Add(ref (string?)tag.Value == "hit" ? ref counter.hits : ref counter.misses, value);
                    }
                }
            });
            counter.listener.Start();
            return counter;
        }

        public void Dispose() => listener.Dispose();
    }
}
