using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageSocial.ConformanceTests;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The local topology of <c>./build.sh cluster up</c> (two PostgreSQL primaries and a replica, Redis, an S3 server, two sample
/// hosts in their own processes), driven over HTTP: a host killed during an upload burst loses nothing it acknowledged, Redis stopped
/// stops nothing and is used again when it is back, and a restarted host catches up.</summary>
public sealed class ClusterTests : IDisposable
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", "cluster.sh");
    private readonly TemporaryDirectory folder = new();
    private bool up;

    [Fact]
    public async Task Two_hosts_share_one_platform_through_a_kill_a_redis_outage_and_a_restart()
    {
        up = true; // whatever `up` started before a failure is stopped by `down`
        var cluster = Cluster("up");
        var hosts = cluster["hosts"]!.AsArray().Select(h => new Uri((string)h!)).ToArray();
        var pids = cluster["hostPids"]!.AsArray().Select(p => (int)p!).ToArray();
        using var a = new HttpClient { BaseAddress = hosts[0], Timeout = TimeSpan.FromSeconds(60) };
        using var b = new HttpClient { BaseAddress = hosts[1], Timeout = TimeSpan.FromSeconds(60) };

        // Signed up on A, signed in on B.
        Assert.Equal(HttpStatusCode.Created, (await a.PostAsJsonAsync("/api/users", new { username = "carla", password = "correct horse battery", displayName = "Carla" })).StatusCode);
        var token = (string)(await (await b.PostAsJsonAsync("/api/auth/token", new { username = "carla", password = "correct horse battery" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
        foreach (var client in new[] { a, b })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        // An upload burst on A, killed (SIGKILL) once a few have been acknowledged.
        var acknowledged = new List<string>();
        var burst = Enumerable.Range(0, 16).Select(async i =>
        {
            try
            {
                using var response = await a.PostAsync("/api/photos", Api.Form(Api.Image(100 + i, 320, 240), ("title", $"burst {i}")));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
                    lock (acknowledged)
                    {
                        acknowledged.Add(id);
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Cut off by the kill: not acknowledged, so nothing is owed.
            }
        }).ToList();
        await Api.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref acknowledged).Count >= 4), "a few uploads acknowledged on A");
        Process.GetProcessById(pids[0]).Kill();
        await Task.WhenAll(burst);

        // Every acknowledged upload is whole on B, and B's runner finishes A's jobs: similar search on B finds them.
        foreach (var id in acknowledged)
        {
            Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/api/photos/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/api/photos/{id}/content/thumb")).StatusCode);
        }

        await Api.EventuallyAsync(async () => acknowledged.All((await IndexedAsync(b)).Contains), "B to index every acknowledged upload");

        // Redis stopped: B keeps taking and serving photos, and indexes them straight from the outbox.
        Process.GetProcessById((int)cluster["redisPid"]!).Kill();
        using (var during = await b.PostAsync("/api/photos", Api.Form(Api.Image(200, 320, 240), ("title", "during the outage"))))
        {
            Assert.Equal(HttpStatusCode.Created, during.StatusCode);
            var id = (string)(await during.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
            Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/api/photos/{id}")).StatusCode);
            await Api.EventuallyAsync(async () => (await IndexedAsync(b)).Contains(id), "B to index an upload made while Redis is down");
            acknowledged.Add(id);
        }

        // A restarted: its index catches up with everything B indexed while it was gone.
        Cluster("start-host", "--index", "0");
        await Api.EventuallyAsync(async () => acknowledged.All((await IndexedAsync(a)).Contains), "the restarted A to catch up");

        // Redis back (empty): both hosts use it again without a restart, and work goes on through it.
        Cluster("start-redis");
        foreach (var host in new[] { a, b })
        {
            await Api.EventuallyAsync(async () => await RedisHealthyAsync(host), $"{host.BaseAddress} to report Redis healthy again");
        }

        using var after = await a.PostAsync("/api/photos", Api.Form(Api.Image(201, 320, 240), ("title", "after the outage")));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        var last = (string)(await after.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await Api.EventuallyAsync(async () => (await IndexedAsync(a)).Contains(last) && (await IndexedAsync(b)).Contains(last), "both hosts to index an upload made after Redis came back");

        // Jobs run on both hosts: B ran the jobs of the upload it took while A was dead; with B gone, A runs the jobs of its own upload.
        Assert.True(await JobsRunAsync(b) > 0, "B's runner ran no job");
        Process.GetProcessById(pids[1]).Kill();
        using var alone = await a.PostAsync("/api/photos", Api.Form(Api.Image(202, 320, 240), ("title", "A alone")));
        Assert.Equal(HttpStatusCode.Created, alone.StatusCode);
        var aloneId = (string)(await alone.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await Api.EventuallyAsync(async () => (await IndexedAsync(a)).Contains(aloneId), "A alone to embed and index its upload");
        Assert.True(await JobsRunAsync(a) > 0, "A's runner ran no job");
    }

    /// <summary>Outbox jobs this host process has run, from its Prometheus scrape (the job-duration histogram's counts).</summary>
    private static async Task<double> JobsRunAsync(HttpClient host)
    {
        // A sample line: name{labels} value [timestamp].
        var text = await host.GetStringAsync("/metrics");
        return text.Split('\n').Where(l => l.StartsWith("imagesocial_outbox_job_duration_seconds_count{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<bool> RedisHealthyAsync(HttpClient host)
    {
        using var response = await host.GetAsync("/health");
        var checks = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["checks"];
        return (string?)checks?["imagesocial-redis"]?["status"] == "Healthy";
    }

    /// <summary>Every photo in the host's own vector index that the viewer may see (a query image's top 100; the account has fewer
    /// photos). By image, because results for a stored photo are cached for an hour.</summary>
    private static async Task<List<string>> IndexedAsync(HttpClient host)
    {
        using var response = await host.PostAsync("/api/search/similar?limit=100", Api.Form(Api.Image(1, 320, 240)));
        return response.IsSuccessStatusCode ? Api.Ids((await response.Content.ReadFromJsonAsync<JsonObject>())!) : [];
    }

    private JsonObject Cluster(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // The hosts inherit this: the test polls similar search more often than the default per-user limit allows.
        start.Environment["RateLimits__UploadsPerMinute"] = "100000";
        foreach (var arg in new[] { Script, args[0], "--dir", folder.Path }.Concat(args.Skip(1)))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"cluster {args[0]} failed: {error.Result}");
        return args[0] == "down" ? [] : JsonNode.Parse(output.Trim().Split('\n')[^1])!.AsObject();
    }

    public void Dispose()
    {
        if (up && File.Exists(Path.Combine(folder.Path, "cluster.state")))
        {
            Cluster("down");
        }

        folder.Dispose();
    }
}
