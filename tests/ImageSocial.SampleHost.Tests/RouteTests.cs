using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageSocial.SampleHost.Tests;

/// <summary>Every route of the HTTP contract, on the paths a well-behaved client takes.</summary>
public sealed class RouteTests(SampleHostFactory host) : IClassFixture<SampleHostFactory>
{
    [Fact]
    public async Task Upload_get_content_update_delete_restore()
    {
        var alice = await host.SignUpAsync("alice");
        // A 40×20 JPEG stored rotated (EXIF orientation 6) with GPS: displayed as 20×40.
        var original = TestImages.WithExif(TestImages.Encode(40, 20), 6, 52.37, 4.89);
        var photo = await alice.UploadAsync(original, "Canal at dusk", "Canal, #Dusk", "followers");
        var id = (string)photo["id"]!;
        Assert.Equal(alice.Id, (string)photo["ownerId"]!);
        Assert.Equal("Canal at dusk", (string)photo["title"]!);
        Assert.Equal(["canal", "dusk"], photo["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("followers", (string)photo["visibility"]!);
        Assert.Equal((20, 40), ((int)photo["width"]!, (int)photo["height"]!));
        Assert.Equal(0, (int)photo["likeCount"]!);
        Assert.True(DateTimeOffset.UtcNow - (DateTimeOffset)photo["createdAt"]! < TimeSpan.FromMinutes(5));

        Assert.Equal(id, (string)(await alice.GetJsonAsync($"/api/photos/{id}"))["id"]!);
        foreach (var size in new[] { "thumb", "feed", "large" })
        {
            using var rendition = await alice.Http.GetAsync((string)photo["urls"]![size]!);
            Assert.Equal(HttpStatusCode.OK, rendition.StatusCode);
            Assert.Equal("image/jpeg", rendition.Content.Headers.ContentType!.MediaType);
            var bytes = await rendition.Content.ReadAsByteArrayAsync();
            Assert.Equal(-1, bytes.AsSpan().IndexOf("Exif\0\0"u8)); // Renditions carry no EXIF, so no GPS.
        }

        using (var stored = await alice.Http.GetAsync((string)photo["urls"]!["original"]!))
        {
            Assert.Equal("image/jpeg", stored.Content.Headers.ContentType!.MediaType);
            Assert.Equal(original, await stored.Content.ReadAsByteArrayAsync()); // Byte for byte, EXIF and GPS included.
        }

        using (var patch = await alice.Http.PatchAsJsonAsync($"/api/photos/{id}", new { title = "Canal, later", tags = new[] { "night" }, visibility = "public" }))
        {
            var updated = (await patch.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(("Canal, later", "night", "public"), ((string)updated["title"]!, (string)updated["tags"]![0]!, (string)updated["visibility"]!));
        }

        Assert.Equal(HttpStatusCode.NoContent, await alice.StatusAsync(HttpMethod.Delete, $"/api/photos/{id}"));
        var deleted = await alice.GetJsonAsync($"/api/photos/{id}");
        Assert.NotNull(deleted["deletedAt"]);
        Assert.Equal([id], await alice.IdsAsync("/api/trash"));
        Assert.Empty(await alice.IdsAsync($"/api/users/{alice.Id}/photos"));

        using var restore = await alice.Http.PostAsync($"/api/photos/{id}/restore", null);
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        Assert.Null((await restore.Content.ReadFromJsonAsync<JsonObject>())!["deletedAt"]);
        Assert.Empty(await alice.IdsAsync("/api/trash"));
        Assert.Equal([id], await alice.IdsAsync($"/api/users/{alice.Id}/photos"));
    }

    [Fact]
    public async Task Listings_page_with_cursors()
    {
        var alice = await host.SignUpAsync("pager");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((string)(await alice.UploadAsync(Api.Image(i), $"page {i}", "paging"))["id"]!);
        }

        ids.Reverse(); // Newest first.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await alice.GetJsonAsync($"/api/users/{alice.Id}/photos?limit=2&cursor={cursor}");
            seen.AddRange(Api.Ids(page));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
        var search = await alice.GetJsonAsync("/api/search?tag=paging&limit=2");
        Assert.Equal(ids[..2], Api.Ids(search));
        Assert.Equal(ids[2..], await alice.IdsAsync($"/api/search?tag=paging&limit=2&cursor={(string)search["nextCursor"]!}"));
        Assert.Equal(ids[1..2], await alice.IdsAsync("/api/search?q=page%201"));
    }

    [Fact]
    public async Task Follows_feed_likes_and_comments()
    {
        var alice = await host.SignUpAsync("poster");
        var bob = await host.SignUpAsync("reader");
        var photo = (string)(await alice.UploadAsync(Api.Image(7), "Harbour"))["id"]!;

        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{alice.Id}/follow"));
        Assert.Equal([bob.Id], await alice.IdsAsync($"/api/users/{alice.Id}/followers"));
        Assert.Equal([alice.Id], await bob.IdsAsync($"/api/users/{bob.Id}/following"));
        Assert.Equal([photo], await bob.IdsAsync("/api/feed"));

        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/photos/{photo}/like"));
        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Put, $"/api/photos/{photo}/like")); // Idempotent.
        Assert.Equal(1, (int)(await alice.GetJsonAsync($"/api/photos/{photo}"))["likeCount"]!);
        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Delete, $"/api/photos/{photo}/like"));
        Assert.Equal(0, (int)(await alice.GetJsonAsync($"/api/photos/{photo}"))["likeCount"]!);

        using var posted = await bob.Http.PostAsJsonAsync($"/api/photos/{photo}/comments", new { text = "Lovely <b>light</b>" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var comment = (await posted.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((bob.Id, "Lovely <b>light</b>"), ((string)comment["authorId"]!, (string)comment["text"]!));
        var comments = await alice.GetJsonAsync($"/api/photos/{photo}/comments");
        Assert.Equal([(string)comment["id"]!], Api.Ids(comments));
        Assert.Equal(1, (int)(await alice.GetJsonAsync($"/api/photos/{photo}"))["commentCount"]!);

        Assert.Equal(HttpStatusCode.NoContent, await bob.StatusAsync(HttpMethod.Delete, $"/api/users/{alice.Id}/follow"));
        Assert.Empty(await bob.IdsAsync("/api/feed"));
        Assert.Empty(await alice.IdsAsync($"/api/users/{alice.Id}/followers"));
    }

    [Fact]
    public async Task Private_account_approves_and_rejects_requests()
    {
        var carol = await host.SignUpAsync("carol", isPrivate: true);
        var bob = await host.SignUpAsync("asker");
        var dave = await host.SignUpAsync("other_asker");
        var photo = (string)(await carol.UploadAsync(Api.Image(9)))["id"]!;

        Assert.Equal(HttpStatusCode.Accepted, await bob.StatusAsync(HttpMethod.Put, $"/api/users/{carol.Id}/follow"));
        Assert.Equal(HttpStatusCode.Accepted, await dave.StatusAsync(HttpMethod.Put, $"/api/users/{carol.Id}/follow"));
        Assert.Equal([dave.Id, bob.Id], (await carol.IdsAsync("/api/follow-requests")).OrderByDescending(i => long.Parse(i, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.NotFound, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));

        Assert.Equal(HttpStatusCode.NoContent, await carol.StatusAsync(HttpMethod.Post, $"/api/follow-requests/{bob.Id}/approve"));
        Assert.Equal(HttpStatusCode.NoContent, await carol.StatusAsync(HttpMethod.Post, $"/api/follow-requests/{dave.Id}/reject"));
        Assert.Empty(await carol.IdsAsync("/api/follow-requests"));
        Assert.Equal(HttpStatusCode.OK, await bob.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));
        Assert.Equal([photo], await bob.IdsAsync("/api/feed"));
        Assert.Equal(HttpStatusCode.NotFound, await dave.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));
        Assert.Equal(HttpStatusCode.NotFound, await dave.StatusAsync(HttpMethod.Get, $"/api/users/{carol.Id}/followers"));
        Assert.Equal(HttpStatusCode.NotFound, await carol.StatusAsync(HttpMethod.Post, $"/api/follow-requests/{dave.Id}/approve"));
    }

    [Fact]
    public async Task Similar_by_photo_and_by_upload()
    {
        var alice = await host.SignUpAsync("similar");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((string)(await alice.UploadAsync(Api.Image(20 + i)))["id"]!);
        }

        // Embedding runs in the background after the upload is acknowledged.
        await Api.EventuallyAsync(async () => ids[1..].All((await alice.IdsAsync($"/api/photos/{ids[0]}/similar?limit=100")).Contains), "the photos to be indexed");
        Assert.DoesNotContain(ids[0], await alice.IdsAsync($"/api/photos/{ids[0]}/similar?limit=100"));
        using var byUpload = await alice.Http.PostAsync("/api/search/similar?limit=2", Api.Form(Api.Image(22)));
        var found = (await byUpload.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, found["items"]!.AsArray().Count);
        Assert.Equal(ids[2], Api.Ids(found)[0]);
        Assert.True((double)found["items"]![0]!["score"]! > 0.99);
    }

    [Fact]
    public async Task An_onnx_model_chosen_by_configuration_serves_similarity()
    {
        var models = Directory.CreateTempSubdirectory("imagesocial-models-").FullName;
        using (var python = System.Diagnostics.Process.Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "make_models.py"), models]))
        {
            await python.WaitForExitAsync();
            Assert.Equal(0, python.ExitCode);
        }

        using var onnx = new SampleHostFactory
        {
            Settings =
            {
                ["ImageSocial:Providers:Embeddings"] = "onnx",
                ["ImageSocial:Onnx:ModelPath"] = Path.Combine(models, "conv.onnx"),
            },
        };
        var alice = await onnx.SignUpAsync("onnx");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((string)(await alice.UploadAsync(Api.Image(40 + i)))["id"]!);
        }

        await Api.EventuallyAsync(async () => ids.All((await alice.IdsAsync($"/api/photos/{ids[0]}/similar?limit=10")).Append(ids[0]).Contains), "the model's vectors");
        Assert.Contains(ids[1], await alice.IdsAsync($"/api/photos/{ids[0]}/similar"));
        var space = Assert.Single(Directory.GetDirectories(Path.Combine(onnx.DataDirectory, "vectors")));
        Assert.StartsWith("onnx-conv-", Path.GetFileName(space), StringComparison.Ordinal); // the model's own embedding space
        Directory.Delete(models, recursive: true);
    }

    [Fact]
    public async Task Users_health_and_openapi()
    {
        var alice = await host.SignUpAsync("profile");
        var profile = await alice.GetJsonAsync($"/api/users/{alice.Id}");
        Assert.Equal((alice.Username, "profile", false), ((string)profile["username"]!, (string)profile["displayName"]!, (bool)profile["isPrivate"]!));

        var anonymous = host.CreateClient();
        var health = JsonNode.Parse(await anonymous.GetStringAsync("/health"))!;
        Assert.Equal("Healthy", (string)health["status"]!);
        foreach (var check in new[] { "imagesocial-sqlite", "imagesocial-local-blobs", "imagesocial-embedded-vectors" })
        {
            Assert.Equal("Healthy", (string)health["checks"]![check]!["status"]!);
        }

        var openApi = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        foreach (var path in new[] { "/api/users", "/api/auth/token", "/api/photos", "/api/photos/{id}/content/{size}", "/api/feed", "/api/search/similar" })
        {
            Assert.NotNull(openApi["paths"]![path]);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await anonymous.PostAsync("/api/users", new StringContent(
            $"{{\"username\":\"{alice.Username}\",\"password\":\"long enough pass\",\"displayName\":\"Again\"}}", Encoding.UTF8, "application/json"))).StatusCode);
    }
}
