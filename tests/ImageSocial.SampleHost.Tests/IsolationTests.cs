using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageSocial.SampleHost.Tests;

/// <summary>What each viewer may see, checked through every read path: get, content, comments, likes, owner listings, feed,
/// search, similar by photo and by upload. Nothing else runs on this host, so every listing must equal the expected set exactly.</summary>
public abstract class IsolationSuite(SampleHostFactory host)
{
    private const string Tag = "isolation";

    [Fact]
    public async Task No_photo_leaks_to_a_viewer_who_may_not_see_it()
    {
        var alice = await host.SignUpAsync("alice");               // public account
        var carol = await host.SignUpAsync("carol", isPrivate: true);
        var fan = await host.SignUpAsync("fan");                   // follows alice; approved by carol
        var stranger = await host.SignUpAsync("stranger");         // follows nobody
        var pending = await host.SignUpAsync("pending");           // asked carol, not approved

        Assert.Equal(HttpStatusCode.NoContent, await fan.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        Assert.Equal(HttpStatusCode.Accepted, await fan.StatusAsync(HttpMethod.Put, $"/api/users/{carol.Id}/follow"));
        Assert.Equal(HttpStatusCode.NoContent, await carol.StatusAsync(HttpMethod.Post, $"/api/follow-requests/{fan.Id}/approve"));
        Assert.Equal(HttpStatusCode.Accepted, await pending.StatusAsync(HttpMethod.Put, $"/api/users/{carol.Id}/follow"));

        var images = new Dictionary<string, byte[]>();
        async Task<string> Upload(ApiUser owner, string name, string visibility, int seed)
        {
            images[name] = Api.Image(seed);
            return (string)(await owner.UploadAsync(images[name], $"shared {name}", Tag, visibility))["id"]!;
        }

        var ids = new Dictionary<string, string>
        {
            ["pub"] = await Upload(alice, "pub", "public", 1),
            ["fol"] = await Upload(alice, "fol", "followers", 2),
            ["priv"] = await Upload(alice, "priv", "public", 3),   // made private after it is indexed
            ["gone"] = await Upload(alice, "gone", "public", 4),   // deleted after it is indexed
            ["cpub"] = await Upload(carol, "cpub", "public", 5),
            ["cfol"] = await Upload(carol, "cfol", "followers", 6),
        };
        await WaitIndexedAsync(alice, images["pub"], ids["pub"], ids["fol"], ids["priv"], ids["gone"]);
        await WaitIndexedAsync(carol, images["cpub"], ids["cpub"], ids["cfol"]);

        using (var patch = await alice.Http.PatchAsJsonAsync($"/api/photos/{ids["priv"]}", new { visibility = "private" }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, await alice.StatusAsync(HttpMethod.Delete, $"/api/photos/{ids["gone"]}"));

        var expected = new Dictionary<ApiUser, string[]>
        {
            [alice] = ["pub", "fol", "priv"],
            [carol] = ["pub", "cpub", "cfol"],
            [fan] = ["pub", "fol", "cpub", "cfol"],
            [stranger] = ["pub"],
            [pending] = ["pub"],
        };
        var feeds = new Dictionary<ApiUser, string[]> { [alice] = [], [carol] = [], [fan] = ["pub", "fol", "cpub", "cfol"], [stranger] = [], [pending] = [] };

        foreach (var (viewer, names) in expected)
        {
            var visible = names.Select(n => ids[n]).ToHashSet();
            foreach (var (name, id) in ids)
            {
                var sees = visible.Contains(id);
                var owns = (name.StartsWith('c') ? carol : alice) == viewer;
                var why = $"{viewer.Username} / {name}";
                var inTrash = owns && name == "gone"; // The owner still sees a deleted photo and its content, to decide on restoring it.
                Assert.True(Status(sees || inTrash) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}"), why);
                foreach (var size in new[] { "thumb", "feed", "large" })
                {
                    Assert.True(Status(sees || inTrash) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/{size}"), $"{why} {size}");
                }

                Assert.True(Status(owns && (sees || inTrash)) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/original"), $"{why} original");
                Assert.True(Status(sees) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/comments"), $"{why} comments");
                Assert.True(Status(sees, HttpStatusCode.NoContent) == await viewer.StatusAsync(HttpMethod.Put, $"/api/photos/{id}/like"), $"{why} like");
                Assert.True(Status(sees, HttpStatusCode.Created) == await viewer.StatusAsync(HttpMethod.Post, $"/api/photos/{id}/comments", JsonContent.Create(new { text = "hi" })), $"{why} comment");
                Assert.True(Status(sees) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/similar"), $"{why} similar");
                if (sees)
                {
                    Assert.Subset(visible, (await viewer.IdsAsync($"/api/photos/{id}/similar?limit=100")).ToHashSet());
                }
            }

            var listed = (await viewer.IdsAsync($"/api/users/{alice.Id}/photos")).Concat(await viewer.IdsAsync($"/api/users/{carol.Id}/photos"));
            Assert.Equal(visible, listed.ToHashSet());
            Assert.Equal(visible, (await viewer.IdsAsync($"/api/search?tag={Tag}&limit=100")).ToHashSet());
            Assert.Equal(visible, (await viewer.IdsAsync("/api/search?q=shared&limit=100")).ToHashSet());
            Assert.Equal(feeds[viewer].Select(n => ids[n]).ToHashSet(), (await viewer.IdsAsync("/api/feed?limit=100")).ToHashSet());
            foreach (var image in images.Values)
            {
                using var similar = await viewer.Http.PostAsync("/api/search/similar?limit=100", Api.Form(image));
                Assert.Equal(visible, Api.Ids((await similar.Content.ReadFromJsonAsync<JsonObject>())!).ToHashSet());
            }

            Assert.Equal(viewer == alice ? [ids["gone"]] : [], await viewer.IdsAsync("/api/trash"));
        }

        // Connections of a private account: its owner and approved followers only.
        Assert.Equal(HttpStatusCode.OK, await fan.StatusAsync(HttpMethod.Get, $"/api/users/{carol.Id}/followers"));
        Assert.Equal(HttpStatusCode.NotFound, await stranger.StatusAsync(HttpMethod.Get, $"/api/users/{carol.Id}/following"));
        Assert.Equal(HttpStatusCode.NotFound, await pending.StatusAsync(HttpMethod.Get, $"/api/users/{carol.Id}/followers"));
    }

    private static HttpStatusCode Status(bool allowed, HttpStatusCode ok = HttpStatusCode.OK) => allowed ? ok : HttpStatusCode.NotFound;

    /// <summary>Waits until the owner, who sees all of their photos, finds each of them by similarity.</summary>
    private static Task WaitIndexedAsync(ApiUser owner, byte[] query, params string[] ids) =>
        Api.EventuallyAsync(async () =>
        {
            using var response = await owner.Http.PostAsync("/api/search/similar?limit=100", Api.Form(query));
            var found = Api.Ids((await response.Content.ReadFromJsonAsync<JsonObject>())!);
            return ids.All(found.Contains);
        }, "the photos to be indexed");
}

/// <summary>The isolation suite on the embedded defaults.</summary>
public sealed class IsolationTests(SampleHostFactory host) : IsolationSuite(host), IClassFixture<SampleHostFactory>;

/// <summary>The isolation suite with the metadata on two PostgreSQL servers, chosen by configuration only.</summary>
public sealed class PostgresIsolationTests(PostgresSampleHost host) : IsolationSuite(host.Factory), IClassFixture<PostgresSampleHost>;

/// <summary>The isolation suite with every read going through the Redis cache and every job through the Redis stream: what a viewer may
/// see is the same as without a cache.</summary>
public sealed class RedisIsolationTests(RedisSampleHost host) : IsolationSuite(host.Factory), IClassFixture<RedisSampleHost>;
