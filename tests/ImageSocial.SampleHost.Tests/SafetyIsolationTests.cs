using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.SampleHost.Tests;

/// <summary>Blocked, suspended and hidden content, checked through every read path (get, content, comments, likes, owner listings, feed —
/// pushed timelines on the Redis host —, search, similar by photo and by upload, profiles, connections). Nothing else runs on its host, so
/// every listing must equal the expected set exactly.</summary>
public abstract class SafetyIsolationSuite(SampleHostFactory host)
{
    private const string Tag = "guarded";

    [Fact]
    public async Task Nothing_blocked_suspended_or_hidden_leaks_on_any_read_path()
    {
        var alice = await host.SignUpAsync("alice");    // blocks bob
        var bob = await host.SignUpAsync("bob");
        var mallory = await host.SignUpAsync("mallory"); // suspended
        var fan = await host.SignUpAsync("fan");         // follows alice, bob and mallory
        var stranger = await host.SignUpAsync("stranger");
        var admin = await host.SignUpAsync("admin");
        await host.Services.GetRequiredService<ImageSocialService>().GrantRoleAsync(UserId.Parse(admin.Id, null), UserRole.Admin);

        foreach (var (follower, followee) in new[] { (fan, alice), (fan, bob), (fan, mallory), (bob, alice), (alice, bob) })
        {
            Assert.Equal(HttpStatusCode.NoContent, await follower.StatusAsync(HttpMethod.Put, $"/api/users/{followee.Id}/follow"));
        }

        var images = new Dictionary<string, byte[]>();
        var owners = new Dictionary<string, ApiUser>();
        async Task<string> Upload(ApiUser owner, string name, string visibility, int seed)
        {
            images[name] = Api.Image(seed + 40);
            owners[name] = owner;
            return (string)(await owner.UploadAsync(images[name], $"guarded {name}", Tag, visibility))["id"]!;
        }

        var ids = new Dictionary<string, string>
        {
            ["a1"] = await Upload(alice, "a1", "public", 1),
            ["a2"] = await Upload(alice, "a2", "followers", 2),
            ["ahid"] = await Upload(alice, "ahid", "public", 3),  // hidden by a moderator
            ["b1"] = await Upload(bob, "b1", "public", 4),
            ["m1"] = await Upload(mallory, "m1", "public", 5),
            ["f1"] = await Upload(fan, "f1", "public", 6),
        };
        foreach (var (name, id) in ids)
        {
            await WaitIndexedAsync(owners[name], images[name], id);
        }

        // Comments on fan's photo by everyone; alice's is hidden by a moderator, mallory's goes with her suspension.
        var comments = new Dictionary<string, string>();
        foreach (var (name, author) in new[] { ("byAlice", alice), ("byBob", bob), ("byMallory", mallory), ("byFan", fan) })
        {
            using var added = await author.Http.PostAsJsonAsync($"/api/photos/{ids["f1"]}/comments", new { text = name });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
            comments[name] = (string)(await added.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        }

        Assert.Equal(HttpStatusCode.NoContent, await alice.StatusAsync(HttpMethod.Put, $"/api/users/{bob.Id}/block"));
        Assert.Equal(HttpStatusCode.NoContent, await admin.StatusAsync(HttpMethod.Post, $"/api/admin/users/{mallory.Id}/suspend", JsonContent.Create(new { reason = "spam" })));
        Assert.Equal(HttpStatusCode.NoContent, await admin.StatusAsync(HttpMethod.Post, $"/api/moderation/photos/{ids["ahid"]}/hide", JsonContent.Create(new { reason = "nudity" })));
        Assert.Equal(HttpStatusCode.NoContent, await admin.StatusAsync(HttpMethod.Post, $"/api/moderation/comments/{comments["byAlice"]}/hide", JsonContent.Create(new { reason = "abuse" })));

        var expected = new Dictionary<ApiUser, string[]>
        {
            [alice] = ["a1", "a2", "ahid", "f1"],
            [bob] = ["b1", "f1"],
            [fan] = ["a1", "a2", "b1", "f1"],
            [stranger] = ["a1", "b1", "f1"],
        };
        var feeds = new Dictionary<ApiUser, string[]> { [alice] = [], [bob] = [], [fan] = ["a1", "a2", "b1"], [stranger] = [] };
        var seenComments = new Dictionary<ApiUser, string[]>
        {
            [alice] = ["byAlice", "byFan"],
            [bob] = ["byBob", "byFan"],
            [fan] = ["byBob", "byFan"],
            [stranger] = ["byBob", "byFan"],
        };
        var profiles = new Dictionary<ApiUser, ApiUser[]> { [alice] = [fan, stranger], [bob] = [fan, stranger], [fan] = [alice, bob, stranger], [stranger] = [alice, bob, fan] };
        var mine = ids.Values.ToHashSet();

        foreach (var (viewer, names) in expected)
        {
            var visible = names.Select(n => ids[n]).ToHashSet();
            foreach (var (name, id) in ids)
            {
                var sees = visible.Contains(id);
                var why = $"{viewer.Username} / {name}";
                Assert.True(Status(sees) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}"), why);
                Assert.True(Status(sees) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/content/thumb"), $"{why} thumb");
                Assert.True(Status(sees) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/comments"), $"{why} comments");
                Assert.True(Status(sees) == await viewer.StatusAsync(HttpMethod.Get, $"/api/photos/{id}/similar"), $"{why} similar");
                if (sees)
                {
                    Assert.Subset(visible, (await viewer.IdsAsync($"/api/photos/{id}/similar?limit=100")).Where(mine.Contains).ToHashSet());
                }
            }

            var listed = new HashSet<string>();
            foreach (var owner in new[] { alice, bob, mallory, fan })
            {
                listed.UnionWith(await viewer.IdsAsync($"/api/users/{owner.Id}/photos"));
            }

            Assert.Equal(visible, listed);
            Assert.Equal(visible, (await viewer.IdsAsync($"/api/search?tag={Tag}&limit=100")).ToHashSet());
            Assert.Equal(visible, (await viewer.IdsAsync("/api/search?q=guarded&limit=100")).ToHashSet());
            Assert.Equal(feeds[viewer].Select(n => ids[n]).ToHashSet(), (await viewer.IdsAsync("/api/feed?limit=100")).ToHashSet());
            foreach (var image in images.Values)
            {
                using var similar = await viewer.Http.PostAsync("/api/search/similar?limit=100", Api.Form(image));
                Assert.Equal(visible, Api.Ids((await similar.Content.ReadFromJsonAsync<JsonObject>())!).Where(mine.Contains).ToHashSet());
            }

            Assert.Equal(seenComments[viewer].Select(n => comments[n]).ToHashSet(), (await viewer.IdsAsync($"/api/photos/{ids["f1"]}/comments?limit=100")).ToHashSet());
            foreach (var other in new[] { alice, bob, mallory, fan, stranger }.Where(o => o != viewer))
            {
                var shown = profiles[viewer].Contains(other);
                Assert.True(Status(shown) == await viewer.StatusAsync(HttpMethod.Get, $"/api/users/{other.Id}"), $"{viewer.Username} / profile of {other.Username}");
                Assert.True(Status(shown) == await viewer.StatusAsync(HttpMethod.Get, $"/api/users/by-handle/{other.Username}"), $"{viewer.Username} / handle of {other.Username}");
            }

            // fan's connections: whom it follows, less whoever the viewer may not see.
            var following = new[] { alice, bob }.Where(u => u == viewer || profiles[viewer].Contains(u)).Select(u => u.Id).ToHashSet();
            Assert.Equal(following, (await viewer.IdsAsync($"/api/users/{fan.Id}/following")).ToHashSet());
        }

        // The owner sees a hidden post and a hidden comment, with the reason.
        Assert.Equal("nudity", (string?)(await alice.GetJsonAsync($"/api/photos/{ids["ahid"]}"))["hiddenReason"]);
        var own = (await alice.GetJsonAsync($"/api/photos/{ids["f1"]}/comments"))["items"]!.AsArray().Single(c => (string)c!["id"]! == comments["byAlice"])!;
        Assert.Equal("abuse", (string?)own["hiddenReason"]);

        // Neither side of a block can follow, like or comment on the other; the block ended the follows both ways.
        Assert.Equal(HttpStatusCode.NotFound, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        Assert.Equal(HttpStatusCode.NotFound, await alice.StatusAsync(HttpMethod.Put, $"/api/users/{bob.Id}/follow"));
        Assert.Equal(HttpStatusCode.NotFound, await bob.StatusAsync(HttpMethod.Put, $"/api/photos/{ids["a1"]}/like"));
        Assert.Equal(HttpStatusCode.NotFound, await alice.StatusAsync(HttpMethod.Post, $"/api/photos/{ids["b1"]}/comments", JsonContent.Create(new { text = "hi" })));
        Assert.Equal([fan.Id], await alice.IdsAsync($"/api/users/{alice.Id}/followers"));
        Assert.Equal([fan.Id], await bob.IdsAsync($"/api/users/{bob.Id}/followers"));

        // A suspended account cannot act or sign in; its data is kept and shows again once reinstated.
        Assert.Equal(HttpStatusCode.Unauthorized, await mallory.StatusAsync(HttpMethod.Get, "/api/users/me"));
        using (var signIn = await host.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = mallory.Username, password = "correct horse battery" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, await admin.StatusAsync(HttpMethod.Post, $"/api/admin/users/{mallory.Id}/reinstate"));
        Assert.Equal(HttpStatusCode.OK, await stranger.StatusAsync(HttpMethod.Get, $"/api/photos/{ids["m1"]}"));
        // A stored timeline gets the posts back from a background job (merged while she was suspended, it left them out).
        await Api.EventuallyAsync(async () => (await fan.IdsAsync("/api/feed?limit=100")).Contains(ids["m1"]), "the reinstated account's post in a follower's feed");

        // Unblocking restores nothing by itself: bob sees alice's public posts again but follows her no more.
        Assert.Equal(HttpStatusCode.NoContent, await alice.StatusAsync(HttpMethod.Delete, $"/api/users/{bob.Id}/block"));
        Assert.Equal(HttpStatusCode.OK, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{ids["a1"]}"));
        Assert.Empty(await bob.IdsAsync("/api/feed?limit=100"));
    }

    private static HttpStatusCode Status(bool allowed) => allowed ? HttpStatusCode.OK : HttpStatusCode.NotFound;

    private static Task WaitIndexedAsync(ApiUser owner, byte[] query, string id) =>
        Api.EventuallyAsync(async () =>
        {
            using var response = await owner.Http.PostAsync("/api/search/similar?limit=100", Api.Form(query));
            return Api.Ids((await response.Content.ReadFromJsonAsync<JsonObject>())!).Contains(id);
        }, "the photos to be indexed");
}

/// <summary>The safety isolation suite on the embedded defaults.</summary>
public sealed class SafetyIsolationTests(SampleHostFactory host) : SafetyIsolationSuite(host), IClassFixture<SampleHostFactory>;

/// <summary>The safety isolation suite with the metadata on two PostgreSQL servers.</summary>
public sealed class PostgresSafetyIsolationTests(PostgresSampleHost host) : SafetyIsolationSuite(host.Factory), IClassFixture<PostgresSampleHost>;

/// <summary>The safety isolation suite through the Redis cache, with hybrid feeds on Redis timelines (pushed entries must not leak either).</summary>
public sealed class RedisSafetyIsolationTests(RedisSampleHost host) : SafetyIsolationSuite(host.Factory), IClassFixture<RedisSampleHost>;
