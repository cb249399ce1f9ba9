using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The sample host on the Redis cache: reads that filled the cache never outlive the write that should hide them, and the host
/// reports Redis in its health.</summary>
public sealed class RedisSampleHostTests(RedisSampleHost redis) : IClassFixture<RedisSampleHost>
{
    [Fact]
    public async Task A_cached_photo_and_feed_disappear_at_once_after_a_visibility_change_and_an_unfollow()
    {
        var host = redis.Factory;
        var alice = await host.SignUpAsync("alice");
        var bob = await host.SignUpAsync("bob");
        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        var open = (string)(await alice.UploadAsync(Api.Image(21), "open"))["id"]!;
        var friends = (string)(await alice.UploadAsync(Api.Image(22), "friends", visibility: "followers"))["id"]!;
        await Api.EventuallyAsync(async () => (await bob.IdsAsync("/api/feed")).Count == 2, "both photos in bob's feed");

        // Twice each, so the second read is served from the cache.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{open}"));
            Assert.Equal(HttpStatusCode.OK, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{friends}"));
            Assert.Equal([friends, open], await bob.IdsAsync("/api/feed"));
        }

        using (var patch = await alice.Http.PatchAsJsonAsync($"/api/photos/{open}", new { visibility = "private" }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{open}"));
        Assert.Equal([friends], await bob.IdsAsync("/api/feed"));

        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Delete, $"/api/users/{alice.Id}/follow"));
        Assert.Equal(HttpStatusCode.NotFound, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{friends}"));
        Assert.Empty(await bob.IdsAsync("/api/feed"));
    }

    [Fact]
    public async Task Configuration_selects_hybrid_feeds_on_redis_and_a_followers_feed_shows_new_posts()
    {
        var host = redis.Factory;
        Assert.IsType<HybridFeedBuilder>(host.Services.GetRequiredService<IFeedBuilder>());
        Assert.Equal("RedisTimelineStore", host.Services.GetRequiredService<ITimelineStore>().GetType().Name);
        Assert.Equal("RedisFeedEventBus", host.Services.GetRequiredService<IFeedEventBus>().GetType().Name);

        var (ann, ben) = (await host.SignUpAsync("hy_ann"), await host.SignUpAsync("hy_ben"));
        Assert.Equal(HttpStatusCode.NoContent, await ben.StatusAsync(HttpMethod.Put, $"/api/users/{ann.Id}/follow"));
        Assert.Empty(await ben.IdsAsync("/api/feed")); // a first read: pulled, and a rebuild of ben's timeline queued
        var timelines = host.Services.GetRequiredService<ITimelineStore>();
        var benId = UserId.Parse(ben.Id);
        await Api.EventuallyAsync(async () => (await timelines.GetActiveAsync([benId], DateTimeOffset.UtcNow.AddDays(-1))).Count == 1, "ben's timeline rebuild");

        var id = (string)(await ann.UploadAsync(Api.Image(3), "pushed through redis", "", "followers"))["id"]!;
        await Api.EventuallyAsync(async () => (await timelines.ReadAsync(benId, null, 10, 800)).Any(e => e.Photo.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == id),
            "the post in ben's stored timeline");
        Assert.Equal([id], await ben.IdsAsync("/api/feed"));
    }

    [Fact]
    public async Task Health_reports_redis()
    {
        var health = JsonNode.Parse(await redis.Factory.CreateClient().GetStringAsync("/health"))!;
        Assert.Equal("Healthy", (string)health["checks"]!["imagesocial-redis"]!["status"]!);
    }
}
