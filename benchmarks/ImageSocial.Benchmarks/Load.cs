using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageSocial.Benchmarks;

/// <summary>Mixed HTTP load on the sample host: feed, renditions, photo reads, search, similar, likes, comments and 2 % uploads from
/// many clients at once, with per-operation latency and the host's memory and threads over time.</summary>
/// <remarks>Starts the built sample host on its embedded defaults in a fresh data folder (or uses <c>--url</c>), creates users, a follow
/// graph and photos through the API, then runs the mix for <c>--seconds</c>.</remarks>
internal static class Load
{
    private static readonly (string Name, int Weight)[] Mix =
    [
        ("feed", 20), ("rendition", 24), ("get", 16), ("search", 10), ("similar", 8), ("like", 10), ("comment", 10), ("upload", 2),
    ];

    private static readonly string[] Words = ["sunset", "harbour", "pier", "mountain", "river", "street", "garden", "market", "bridge", "forest", "beach", "city"];

    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback;
        var clients = int.Parse(Option("--clients", "32"), CultureInfo.InvariantCulture);
        var seconds = int.Parse(Option("--seconds", "60"), CultureInfo.InvariantCulture);
        var users = int.Parse(Option("--users", "200"), CultureInfo.InvariantCulture);
        var photos = int.Parse(Option("--photos", "300"), CultureInfo.InvariantCulture);
        var json = options.TryGetValue("--json", out var j) && j.Count > 0 ? j[0] : null;

        var images = Images(Option("--images", Path.Combine(Path.GetTempPath(), "imagesocial-load-images")));
        // --setting KEY=VALUE (repeatable) configures the started host, e.g. ImageSocial__ImageWorkers=2.
        var settings = (options.TryGetValue("--setting", out var s) ? s : []).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
        // --redis starts a Redis server and puts the host's cache and job hand-out on it.
        using var redis = options.ContainsKey("--redis") ? Testing.Servers.RedisServer.Start() : null;
        if (redis is not null)
        {
            settings["ImageSocial__Providers__Cache"] = "redis";
            settings["ImageSocial__Providers__Jobs"] = "redis";
            settings["ImageSocial__Redis__Configuration"] = redis.Configuration;
        }

        await using var host = options.TryGetValue("--url", out var url) && url.Count > 0 ? SampleHostProcess.Attach(new Uri(url[0])) : await SampleHostProcess.StartAsync(settings);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = host.Address,
            Timeout = TimeSpan.FromMinutes(2),
        };

        Console.WriteLine($"setup: {users} users, {photos} photos, a follow graph of {Math.Min(20, users - 1)} followees each");
        var setup = Stopwatch.StartNew();
        var accounts = await SignUpAsync(http, users);
        await FollowAsync(http, accounts, Math.Min(20, users - 1));
        var seeded = await SeedAsync(http, accounts, images, photos);
        Console.WriteLine($"setup took {setup.Elapsed.TotalSeconds:F0} s; waiting for the seed photos' background work");
        await WaitForJobsAsync(http, accounts[0], seeded[^1]);

        var lagBefore = await HostMetrics.IndexingLagAsync(http);
        var backlog = new List<double>();
        Console.WriteLine($"load: {clients} clients for {seconds} s");
        var samples = Mix.ToDictionary(m => m.Name, _ => new ConcurrentBag<(double Ms, bool Error)>());
        var errors = new ConcurrentDictionary<string, int>();
        var memory = new List<(double Second, double RssMiB, int Threads)>();
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        var started = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (DateTime.UtcNow < stop)
            {
                // Due and unleased (the depth gauge also counts each upload's orphan check, due an hour later).
                if (await HostMetrics.GaugeAsync(http, "imagesocial_outbox_due") is { } depth)
                {
                    lock (backlog)
                    {
                        backlog.Add(depth);
                    }
                }

                if (host.Sample() is { } sample)
                {
                    lock (memory)
                    {
                        memory.Add((started.Elapsed.TotalSeconds, sample.RssMiB, sample.Threads));
                    }
                }

                await Task.Delay(1000);
            }
        });
        var photoIds = new ConcurrentBag<string>(seeded);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(c * 7919 + 17);
            while (DateTime.UtcNow < stop)
            {
                var op = Pick(random);
                var user = accounts[random.Next(accounts.Count)];
                var known = photoIds.ElementAtOrDefault(random.Next(Math.Min(photoIds.Count, 4096))) ?? seeded[0];
                var watch = Stopwatch.StartNew();
                HttpStatusCode status;
                try
                {
                    status = await RunAsync(http, op, user, known, images, random, photoIds);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                    errors.AddOrUpdate(op + ": " + ex.GetType().Name, 1, (_, n) => n + 1);
                }

                var failed = (int)status is 0 or >= 400;
                if (failed && status != 0)
                {
                    errors.AddOrUpdate($"{op}: {(int)status}", 1, (_, n) => n + 1);
                }

                samples[op].Add((watch.Elapsed.TotalMilliseconds, failed));
            }
        })));
        await sampler;
        var elapsed = started.Elapsed.TotalSeconds;

        var results = Mix.Select(m =>
        {
            var all = samples[m.Name].Select(s => s.Ms).Order().ToArray();
            return new
            {
                name = m.Name,
                count = all.Length,
                errors = samples[m.Name].Count(s => s.Error),
                perSecond = Math.Round(all.Length / elapsed, 1),
                p50Ms = Math.Round(Percentile(all, 0.50), 2),
                p99Ms = Math.Round(Percentile(all, 0.99), 2),
                maxMs = Math.Round(all.Length == 0 ? 0 : all[^1], 2),
            };
        }).ToList();
        Console.WriteLine($"{"operation",-12}{"count",10}{"errors",8}{"/s",9}{"p50 ms",10}{"p99 ms",10}{"max ms",10}");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.name,-12}{r.count,10}{r.errors,8}{r.perSecond,9:F1}{r.p50Ms,10:F1}{r.p99Ms,10:F1}{r.maxMs,10:F1}");
        }

        foreach (var (what, count) in errors)
        {
            Console.WriteLine($"  error {what}: {count}");
        }

        // Indexing lag: upload committed → photo in the vector index, from the host's own histogram over the load only.
        var lag = HostMetrics.Summarize(lagBefore, await HostMetrics.IndexingLagAsync(http), 5);
        var peakBacklog = backlog.DefaultIfEmpty(0).Max();
        Console.WriteLine($"indexing: {lag.Count} photos, {lag.ShareWithin:P2} within 5 s, p99 ≤ {lag.P99UpperBound} s; due backlog peak {peakBacklog:F0}, last {backlog.DefaultIfEmpty(0).Last():F0}");
        var rss = memory.Select(m => m.RssMiB).DefaultIfEmpty(0).ToArray();
        var threads = memory.Select(m => m.Threads).DefaultIfEmpty(0).ToArray();
        Console.WriteLine($"host: RSS {rss.First():F0} → {rss.Last():F0} MiB (peak {rss.Max():F0}), threads {threads.First()} → {threads.Last()} (peak {threads.Max()}); {results.Sum(r => r.count) / elapsed:F0} requests/s");
        if (json is not null)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
            {
                clients,
                seconds = Math.Round(elapsed, 1),
                requests = results.Sum(r => r.count),
                errors = results.Sum(r => r.errors),
                results,
                indexing = new { photos = lag.Count, shareWithin5s = Math.Round(lag.ShareWithin, 4), p99UpperBoundSeconds = lag.P99UpperBound, peakDueBacklog = peakBacklog },
                host = new
                {
                    peakRssMiB = Math.Round(rss.Max(), 1),
                    peakThreads = threads.Max(),
                    samples = memory.Select(m => new { second = Math.Round(m.Second), rssMiB = Math.Round(m.RssMiB, 1), threads = m.Threads }),
                },
            }, new JsonSerializerOptions { WriteIndented = true }));
        }

        return results.Sum(r => r.errors) == 0 ? 0 : 1;
    }

    private static async Task<HttpStatusCode> RunAsync(HttpClient http, string op, Account user, string photo, byte[][] images, Random random, ConcurrentBag<string> photoIds)
    {
        using var request = op switch
        {
            "feed" => Get("/api/feed?limit=20"),
            "rendition" => Get($"/api/photos/{photo}/content/{(random.Next(2) == 0 ? "thumb" : "feed")}"),
            "get" => Get($"/api/photos/{photo}"),
            "search" => Get($"/api/search?q={Words[random.Next(Words.Length)]}&limit=20"),
            "similar" => Get($"/api/photos/{photo}/similar?limit=10"),
            "like" => new HttpRequestMessage(random.Next(2) == 0 ? HttpMethod.Put : HttpMethod.Delete, $"/api/photos/{photo}/like"),
            "comment" => new HttpRequestMessage(HttpMethod.Post, $"/api/photos/{photo}/comments") { Content = JsonContent.Create(new { text = "Lovely light " + random.Next() }) },
            _ => new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = Form(images[random.Next(images.Length)], Title(random)) },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        if (op == "upload" && response.IsSuccessStatusCode)
        {
            photoIds.Add((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        }

        return response.StatusCode;

        static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);
    }

    private static string Pick(Random random)
    {
        var roll = random.Next(Mix.Sum(m => m.Weight));
        foreach (var (name, weight) in Mix)
        {
            if ((roll -= weight) < 0)
            {
                return name;
            }
        }

        return Mix[0].Name;
    }

    private static string Title(Random random) => $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} at dusk";

    private static MultipartFormDataContent Form(byte[] image, string title)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "photo.jpg");
        form.Add(new StringContent(title), "title");
        form.Add(new StringContent("load,bench"), "tags");
        return form;
    }

    private static async Task<List<Account>> SignUpAsync(HttpClient http, int count)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var accounts = new ConcurrentBag<Account>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var name = $"load_{run}_{i}";
            (await http.PostAsJsonAsync("/api/users", new { username = name, password = "correct horse battery", displayName = name }, ct)).EnsureSuccessStatusCode();
            var token = await (await http.PostAsJsonAsync("/api/auth/token", new { username = name, password = "correct horse battery" }, ct)).EnsureSuccessStatusCode()
                .Content.ReadFromJsonAsync<JsonObject>(ct);
            accounts.Add(new Account((string)token!["userId"]!, (string)token["accessToken"]!));
        });
        return [.. accounts.OrderBy(a => a.Id, StringComparer.Ordinal)];
    }

    private static async Task FollowAsync(HttpClient http, List<Account> accounts, int each)
    {
        var random = new Random(42);
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (account, ct) =>
        {
            int[] picks;
            lock (random)
            {
                picks = Enumerable.Range(0, accounts.Count).OrderBy(_ => random.Next()).Take(each + 1).ToArray();
            }

            foreach (var followee in picks.Select(p => accounts[p]).Where(a => a != account).Take(each))
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/users/{followee.Id}/follow");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
                (await http.SendAsync(request, ct)).EnsureSuccessStatusCode();
            }
        });
    }

    private static async Task<List<string>> SeedAsync(HttpClient http, List<Account> accounts, byte[][] images, int count)
    {
        var ids = new ConcurrentBag<(int Index, string Id)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = Form(images[i % images.Length], Title(new Random(i))) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accounts[i % accounts.Count].Token);
            using var response = (await http.SendAsync(request, ct)).EnsureSuccessStatusCode();
            ids.Add((i, (string)(await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!));
        });
        return ids.OrderBy(x => x.Index).Select(x => x.Id).ToList();
    }

    /// <summary>Waits until the last seeded photo answers similar search with company (its embedding, and most others', are in).</summary>
    private static async Task WaitForJobsAsync(HttpClient http, Account account, string photo)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{photo}/similar?limit=10");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Count >= 5)
            {
                return;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>A few photos at a phone's downscaled size (2000×1500, about 0.5 MB), generated once.</summary>
    private static byte[][] Images(string folder)
    {
        Directory.CreateDirectory(folder);
        var files = Directory.GetFiles(folder, "*.jpg").Order().ToArray();
        if (files.Length == 0)
        {
            Console.WriteLine($"generating 6 2000x1500 JPEGs in {folder}");
            for (var i = 0; i < 6; i++)
            {
                Thumbs.GenerateJpeg(Path.Combine(folder, $"load{i}.jpg"), 2000, 1500, mean: 90 + (i * 20), sigma: 35, quality: 88);
            }

            files = Directory.GetFiles(folder, "*.jpg").Order().ToArray();
        }

        return files.Select(File.ReadAllBytes).ToArray();
    }

    /// <summary>The nearest-rank percentile of sorted values (0 when there are none); the benchmarks' one definition.</summary>
    internal static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed record Account(string Id, string Token);
}
