using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.Testing.Servers;
using ImageSocial.Storage.Postgres;
using ImageSocial.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ImageSocial.Benchmarks;

/// <summary><c>metadata [--photos 1000000] [--users 10000] [--shards 4096] [--clients 4] [--seconds 10] [--data DIR] [--json OUT]</c>:
/// the same generated data set loaded through both metadata stores (PostgreSQL: two servers on this machine, logical shards;
/// SQLite: one file), then operations per second and latency percentiles of a batch get of 50, a user's newest photos and a
/// title search, each store in turn in one run; then one logical shard is moved to the other server under load.
/// <c>--data</c> keeps the loaded databases for the next run.</summary>
internal static class Metadata
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        var photoCount = int.Parse(options.One("--photos", "1000000"), CultureInfo.InvariantCulture);
        var userCount = int.Parse(options.One("--users", "10000"), CultureInfo.InvariantCulture);
        var shards = int.Parse(options.One("--shards", "4096"), CultureInfo.InvariantCulture);
        var clients = int.Parse(options.One("--clients", "4"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(options.One("--seconds", "10"), CultureInfo.InvariantCulture);
        var data = Path.GetFullPath(options.One("--data", Path.Combine(Path.GetTempPath(), $"imagesocial-bench-metadata-{photoCount}-{shards}")));
        Directory.CreateDirectory(data);

        var set = new DataSet(photoCount, userCount, shards);
        string[] settings = ["shared_buffers=1GB", "max_connections=200", "effective_cache_size=8GB", "jit=off"];
        using var first = PostgresServer.StartPrimary(Path.Combine(data, "pg-1"), settings);
        using var second = PostgresServer.StartPrimary(Path.Combine(data, "pg-2"), settings);
        var pgOptions = new PostgresStoreOptions { LogicalShardCount = shards };
        pgOptions.Servers.Add(new PostgresServerOptions { Name = "pg1", ConnectionString = first.ConnectionString() + ";Maximum Pool Size=64" });
        pgOptions.Servers.Add(new PostgresServerOptions { Name = "pg2", ConnectionString = second.ConnectionString() + ";Maximum Pool Size=64" });
        await using var postgres = new PostgresMetadataStore(Options.Create(pgOptions));
        using var sqlite = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = Path.Combine(data, "sqlite", "meta.db"), DurableCommits = false }));

        var watch = Stopwatch.StartNew();
        Console.WriteLine($"{photoCount:N0} photos of {userCount:N0} users; PostgreSQL: 2 servers, {shards} logical shards; data in {data}");
        await postgres.EnsureCreatedAsync();
        Console.WriteLine($"  PostgreSQL schemas ready in {watch.Elapsed.TotalSeconds:F0} s");
        await LoadAsync("SQLite", sqlite, sqlite, set, Path.Combine(data, "sqlite.loaded"), writers: 1);
        await LoadAsync("PostgreSQL", postgres, postgres, set, Path.Combine(data, "postgres.loaded"), writers: 8);

        var results = new Dictionary<string, Dictionary<string, Measurement>>();
        var only = options.One("--only", "");
        foreach (var (name, photos) in new (string, IPhotoStore)[] { ("postgresql", postgres), ("sqlite", sqlite) }.Where(s => only.Length == 0 || s.Item1 == only))
        {
            results[name] = new()
            {
                ["batchGet50"] = await MeasureAsync($"{name} batch get of 50", clients, seconds, (r, ct) => photos.GetVisibleAsync(set.RandomPhotos(r, 50), set.RandomUser(r), ct)),
                ["ownerNewest"] = await MeasureAsync($"{name} a user's newest 20", clients, seconds, (r, ct) => photos.ListByOwnerAsync(set.RandomUser(r), set.RandomUser(r), new PageRequest(null, 20), ct)),
                ["titleSearch"] = await MeasureAsync($"{name} title search", clients, seconds, (r, ct) => photos.SearchAsync(new PhotoSearch(set.RandomWord(r), null), set.RandomUser(r), new PageRequest(null, 20), ct)),
            };
        }

        if (only.Length > 0)
        {
            return 0;
        }

        Console.WriteLine();
        Console.WriteLine("operation            postgresql ops/s  p99 ms   sqlite ops/s  p99 ms   ops ratio (pg/sqlite)");
        foreach (var op in results["sqlite"].Keys)
        {
            var (pg, lite) = (results["postgresql"][op], results["sqlite"][op]);
            Console.WriteLine($"{op,-20} {pg.OpsPerSecond,16:N0} {pg.P99Ms,7:F2} {lite.OpsPerSecond,14:N0} {lite.P99Ms,7:F2}   {pg.OpsPerSecond / lite.OpsPerSecond:F2}");
        }

        var move = await MoveUnderLoadAsync(postgres, set);
        if (options.TryGetValue("--json", out var json) && json.Count > 0)
        {
            await File.WriteAllTextAsync(json[0], JsonSerializer.Serialize(new { photos = photoCount, users = userCount, shards, clients, seconds, results, move }, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    /// <summary>Moves the shard of the first user to the other server while two clients like and unlike its photos (writes that
    /// meet the fence; the data is the same afterwards) and two read them; counts what failed.</summary>
    private static async Task<object> MoveUnderLoadAsync(PostgresMetadataStore postgres, DataSet set)
    {
        var shard = set.Users[0].Id.LogicalShard;
        var target = postgres.Map.GetServer(shard) == "pg1" ? "pg2" : "pg1";
        var photos = set.PhotosOnShard(shard);
        var liker = set.Users[^1].Id;
        int writes = 0, reads = 0, failures = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            while (!stop.IsCancellationRequested)
            {
                var photo = photos[random.Next(photos.Count)];
                try
                {
                    if (c < 2 && await postgres.LikeAsync(photo, liker))
                    {
                        await postgres.UnlikeAsync(photo, liker);
                        Interlocked.Add(ref writes, 2);
                    }
                    else if (c >= 2)
                    {
                        _ = await postgres.GetVisibleAsync([photo], liker);
                        Interlocked.Increment(ref reads);
                    }
                }
                catch (ImageSocialException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        await Task.Delay(1000);
        var report = await new ShardMover(postgres).MoveAsync(shard, target, new Progress<string>(line => Console.WriteLine($"  move: {line}")));
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        Console.WriteLine($"  moved shard {shard} ({report.Tables.Sum(t => t.Rows)} rows) {report.From} → {report.To}: writes fenced {report.WriteBlock.TotalMilliseconds:F0} ms, " +
            $"{report.Elapsed.TotalSeconds:F2} s in all; during it {writes} writes and {reads} reads, {failures} failed");
        return new { shard, report.From, report.To, rows = report.Tables.Sum(t => t.Rows), fenceMs = report.WriteBlock.TotalMilliseconds, seconds = report.Elapsed.TotalSeconds, writes, reads, failures };
    }

    private static async Task LoadAsync(string name, IUserStore users, IPhotoStore photos, DataSet set, string marker, int writers)
    {
        if (File.Exists(marker))
        {
            Console.WriteLine($"  {name}: loaded earlier ({marker})");
            return;
        }

        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(set.Users, new ParallelOptions { MaxDegreeOfParallelism = writers }, async (u, ct) => await users.CreateAsync(u, null, ct));
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, set.PhotoCount), new ParallelOptions { MaxDegreeOfParallelism = writers }, async (i, ct) =>
        {
            await photos.CreateAsync(set.Photo(i), [], ct);
            if (Interlocked.Increment(ref done) % 100_000 == 0)
            {
                Console.WriteLine($"  {name}: {done:N0} photos loaded, {done / watch.Elapsed.TotalSeconds:N0}/s");
            }
        });
        Console.WriteLine($"  {name}: loaded in {watch.Elapsed.TotalSeconds:F0} s");
        await File.WriteAllTextAsync(marker, DateTimeOffset.UtcNow.ToString("O"));
    }

    private static async Task<Measurement> MeasureAsync(string name, int clients, double seconds, Func<Random, CancellationToken, Task> operation)
    {
        // Warm-up, then each client runs back to back for the measured time.
        using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Min(2, seconds / 3))))
        {
            await RunClientsAsync(clients, warm.Token, operation, null);
        }

        var latencies = new List<double>[clients];
        var watch = Stopwatch.StartNew();
        using (var measured = new CancellationTokenSource(TimeSpan.FromSeconds(seconds)))
        {
            await RunClientsAsync(clients, measured.Token, operation, latencies);
        }

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var result = new Measurement(all.Length / watch.Elapsed.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
        Console.WriteLine($"  {name}: {result.OpsPerSecond:N0} ops/s, p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms ({all.Length:N0} operations)");
        return result;
    }

    private static Task RunClientsAsync(int clients, CancellationToken stop, Func<Random, CancellationToken, Task> operation, List<double>[]? latencies) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(1000 + c);
            var mine = new List<double>();
            if (latencies is not null)
            {
                latencies[c] = mine;
            }

            while (!stop.IsCancellationRequested)
            {
                var t = Stopwatch.GetTimestamp();
                await operation(random, CancellationToken.None);
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        })));

    private sealed record Measurement(double OpsPerSecond, double P50Ms, double P99Ms);

    /// <summary>A deterministic data set: the same ids, owners, titles and tags on every run, so a kept database matches it.</summary>
    private sealed class DataSet
    {
        private readonly string[] words;
        private readonly UserId[] owners;
        private readonly long[] photoIds;

        public DataSet(int photos, int users, int shards)
        {
            PhotoCount = photos;
            var random = new Random(42);
            string[] syllables = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "sho", "lin", "mar", "tes", "qua", "bel"];
            words = Enumerable.Range(0, 2000).Select(i => string.Concat(syllables[i % 16], syllables[i / 16 % 16], syllables[i / 256 % 16])).Distinct().ToArray();
            var startMs = (long)(Start - SnowflakeId.Epoch).TotalMilliseconds;
            Users = Enumerable.Range(0, users).Select(i => new User(new UserId(SnowflakeId.Compose(startMs, random.Next(shards), i % 1024) + ((long)(i / 1024) << 23)), $"user{i}", $"User {i}", false)).ToArray();
            owners = new UserId[photos];
            photoIds = new long[photos];
            for (var i = 0; i < photos; i++)
            {
                owners[i] = Users[random.Next(users)].Id;
                photoIds[i] = SnowflakeId.Compose(startMs + 1000 + i / 4, owners[i].LogicalShard, i % 4);
            }
        }

        public int PhotoCount { get; }

        public User[] Users { get; }

        public Photo Photo(int i)
        {
            // Titles of three words from a 2,000-word vocabulary (skewed towards the front), one or two of 200 tags.
            var r = new Random(i);
            string Word() => words[(int)(Math.Pow(r.NextDouble(), 2) * words.Length)];
            return new Photo
            {
                Id = new PhotoId(photoIds[i]),
                OwnerId = owners[i],
                Title = $"{Word()} {Word()} {Word()}",
                Tags = r.Next(2) == 0 ? [$"tag{r.Next(200)}"] : [$"tag{r.Next(200)}", $"tag{r.Next(200)}x"],
                Visibility = r.Next(20) switch { 0 => Visibility.Private, 1 or 2 => Visibility.Followers, _ => Visibility.Public },
                Image = new ImageInfo("jpeg", 1080, 810, 1, 1),
                RenditionContentType = "image/jpeg",
                OriginalBytes = 250_000,
            };
        }

        public UserId RandomUser(Random r) => Users[r.Next(Users.Length)].Id;

        public List<PhotoId> PhotosOnShard(int shard) => photoIds.Where(id => SnowflakeId.GetLogicalShard(id) == shard).Select(id => new PhotoId(id)).ToList();

        public IReadOnlyList<PhotoId> RandomPhotos(Random r, int n) => Enumerable.Range(0, n).Select(_ => new PhotoId(photoIds[r.Next(photoIds.Length)])).ToList();

        public string RandomWord(Random r) => words[(int)(Math.Pow(r.NextDouble(), 2) * words.Length)];
    }
}
