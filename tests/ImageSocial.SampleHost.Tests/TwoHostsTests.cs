using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.SampleHost.Tests;

/// <summary>Two sample hosts serving one platform: metadata on PostgreSQL, blobs on S3, each host with its own vector index that catches
/// up from the embeddings the indexing job stored with the photos.</summary>
public sealed class TwoHostsTests : IDisposable
{
    private readonly PostgresServer postgres = PostgresServer.StartPrimary();
    private readonly S3Server s3 = S3Server.Start();

    private static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    [Fact]
    public async Task A_user_and_a_photo_made_on_one_host_are_served_whole_by_the_other_including_similar_search()
    {
        var bucket = await s3.NewBucketAsync();
        SampleHostFactory Host(int node) => HostOnPostgres(node,
            ("ImageSocial:Providers:Blobs", "s3"),
            ("ImageSocial:S3:ServiceUrl", s3.ServiceUrl),
            ("ImageSocial:S3:Bucket", bucket),
            ("ImageSocial:S3:AccessKey", s3.AccessKey),
            ("ImageSocial:S3:SecretKey", s3.SecretKey),
            ("ImageSocial:S3:ForcePathStyle", "true"),
            ("ImageSocial:IndexSync:PollInterval", "00:00:00.100"));
        using var a = Host(1);
        // B runs no jobs: every vector in its index came through the store's change feed.
        using var b = Host(2);
        b.Settings["ImageSocial:Jobs:Enabled"] = "false";

        var alice = await a.SignUpAsync("alice");
        var fan = await a.SignUpAsync("fan");
        Assert.Equal(HttpStatusCode.NoContent, await fan.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        // Signed up on A, signed in on B.
        var token = await b.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = alice.Username, password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var aliceOnB = b.CreateClient();
        aliceOnB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
        var fanOnB = b.CreateClient();
        fanOnB.DefaultRequestHeaders.Authorization = fan.Http.DefaultRequestHeaders.Authorization;

        var image = Api.Image(31, 200, 150);
        var photo = (string)(await alice.UploadAsync(image, "harbour at dawn", "boats", "followers"))["id"]!;
        var other = (string)(await alice.UploadAsync(Api.Image(32, 200, 150), "harbour at noon", "boats"))["id"]!;

        Assert.Equal(HttpStatusCode.OK, (await fanOnB.GetAsync($"/api/photos/{photo}")).StatusCode);
        using (var thumb = await fanOnB.GetAsync($"/api/photos/{photo}/content/thumb"))
        {
            Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
        }

        Assert.Contains(photo, await new ApiUser(fan.Id, fan.Username, fanOnB).IdsAsync("/api/feed"));
        Assert.Contains(photo, await new ApiUser(fan.Id, fan.Username, fanOnB).IdsAsync("/api/search?q=harbour"));
        // B's own index learns of both photos from the embeddings A's jobs stored.
        await Api.EventuallyAsync(async () =>
        {
            using var similar = await fanOnB.PostAsync("/api/search/similar?limit=10", Api.Form(image));
            var found = Api.Ids((await similar.Content.ReadFromJsonAsync<JsonObject>())!);
            return found.Contains(photo) && found.Contains(other);
        }, "similar search on B to find photos uploaded on A");
        Assert.Equal([other], await new ApiUser(fan.Id, fan.Username, fanOnB).IdsAsync($"/api/photos/{photo}/similar"));

        // A visibility change made on B reaches A's index filter and both hosts' reads.
        using (var patch = await aliceOnB.PatchAsJsonAsync($"/api/photos/{photo}", new { visibility = "private" }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, await fan.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));
        using var afterOnA = await fan.Http.PostAsync("/api/search/similar?limit=10", Api.Form(image));
        Assert.DoesNotContain(photo, Api.Ids((await afterOnA.Content.ReadFromJsonAsync<JsonObject>())!));
    }

    [Fact]
    public async Task A_post_whose_job_ran_on_one_host_is_announced_to_a_follower_watching_on_the_other_and_reaches_their_stored_timeline()
    {
        using var redis = RedisServer.Start();
        var prefix = RedisServer.NewPrefix();
        SampleHostFactory Host(int node) => HostOnPostgres(node,
            ("ImageSocial:Feed:Mode", "hybrid"),
            ("ImageSocial:Redis:Configuration", redis.Configuration),
            ("ImageSocial:Redis:KeyPrefix", prefix));
        using var a = Host(1);
        using var b = Host(2);
        b.Settings["ImageSocial:Jobs:Enabled"] = "false";

        var alice = await a.SignUpAsync("alice");
        var fan = await a.SignUpAsync("fan");
        Assert.Equal(HttpStatusCode.NoContent, await fan.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        var fanOnB = b.CreateClient();
        fanOnB.DefaultRequestHeaders.Authorization = fan.Http.DefaultRequestHeaders.Authorization;
        // The first read asks for a rebuild of fan's timeline (run by A, the host with jobs) and marks fan active there.
        Assert.Equal(HttpStatusCode.OK, (await fanOnB.GetAsync("/api/feed")).StatusCode);
        var timelines = a.Services.GetRequiredService<ITimelineStore>();
        var fanId = UserId.Parse(fan.Id);
        await Api.EventuallyAsync(async () => (await timelines.GetActiveAsync([fanId], DateTimeOffset.UtcNow.AddDays(-1))).Count == 1, "fan's timeline rebuild");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var events = await fanOnB.GetAsync("/api/feed/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(stop.Token));
        Assert.Equal(": watching", await reader.ReadLineAsync(stop.Token));

        var photo = (string)(await alice.UploadAsync(Api.Image(33, 120, 90), "harbour at dusk", "", "followers"))["id"]!;
        string? announced = null;
        while (announced is null && await reader.ReadLineAsync(stop.Token) is { } line)
        {
            announced = line.StartsWith("data: ", StringComparison.Ordinal) ? JsonNode.Parse(line["data: ".Length..])!["id"]!.GetValue<string>() : null;
        }

        Assert.Equal(photo, announced);
        Assert.Contains((await timelines.ReadAsync(fanId, null, 10, 800)).Select(e => e.Photo.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), id => id == photo);
        var feed = (await (await fanOnB.GetAsync("/api/feed")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal([photo], Api.Ids(feed));
    }

    /// <summary>One of the hosts: its own id node, the shared PostgreSQL server and signing key, and the test's own settings.</summary>
    private SampleHostFactory HostOnPostgres(int node, params (string Key, string Value)[] settings)
    {
        var host = new SampleHostFactory
        {
            Settings =
            {
                ["ImageSocial:IdNode"] = node.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ImageSocial:Providers:Metadata"] = "postgres",
                ["ImageSocial:Postgres:LogicalShardCount"] = "16",
                ["ImageSocial:Postgres:Servers:0:Name"] = "pg1",
                ["ImageSocial:Postgres:Servers:0:ConnectionString"] = postgres.ConnectionString(),
                ["Auth:SigningKey"] = SigningKey,
            },
        };
        foreach (var (key, value) in settings)
        {
            host.Settings[key] = value;
        }

        return host;
    }

    public void Dispose()
    {
        postgres.Dispose();
        s3.Dispose();
    }
}
