using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.SampleHost.Tests;

/// <summary>Reports, the moderation queue, hiding and the audit log over HTTP: who may do what, and what bad input gets.</summary>
public sealed class ModerationRouteTests : IDisposable
{
    private readonly SampleHostFactory host = new() { Settings = { ["Auth:Admins:0"] = "root_1" } };

    [Fact]
    public async Task Reports_reach_the_queue_a_moderator_works_and_every_action_is_audited()
    {
        var root = await host.SignUpAsync("root"); // root_1: admin from configuration
        var mod = await host.SignUpAsync("mod");
        var owner = await host.SignUpAsync("owner");
        var reporter = await host.SignUpAsync("reporter");
        Assert.Equal(HttpStatusCode.NoContent, await root.StatusAsync(HttpMethod.Put, $"/api/admin/users/{mod.Id}/role", JsonContent.Create(new { role = "moderator" })));

        var photo = (string)(await owner.UploadAsync(Api.Image(1), "reported"))["id"]!;
        using var commented = await owner.Http.PostAsJsonAsync($"/api/photos/{photo}/comments", new { text = "a comment" });
        var comment = (string)(await commented.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        using (var filed = await reporter.Http.PostAsJsonAsync($"/api/photos/{photo}/reports", new { reason = "spam" }))
        {
            Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
            var report = (await filed.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(("photo", photo, reporter.Id, "spam"), ((string)report["target"]!, (string)report["targetId"]!, (string)report["reporterId"]!, (string)report["reason"]!));
        }

        Assert.Equal(HttpStatusCode.Created, await reporter.StatusAsync(HttpMethod.Post, $"/api/comments/{comment}/reports", JsonContent.Create(new { reason = "rude" })));

        // Members neither see the queue nor act on it; moderators do not suspend or read the audit log.
        Assert.Equal(HttpStatusCode.Forbidden, await reporter.StatusAsync(HttpMethod.Get, "/api/moderation/reports"));
        Assert.Equal(HttpStatusCode.Forbidden, await reporter.StatusAsync(HttpMethod.Post, $"/api/moderation/photos/{photo}/hide", JsonContent.Create(new { reason = "x" })));
        Assert.Equal(HttpStatusCode.Forbidden, await owner.StatusAsync(HttpMethod.Post, $"/api/moderation/comments/{comment}/hide", JsonContent.Create(new { reason = "x" })));
        Assert.Equal(HttpStatusCode.Forbidden, await mod.StatusAsync(HttpMethod.Post, $"/api/admin/users/{owner.Id}/suspend", JsonContent.Create(new { reason = "x" })));
        Assert.Equal(HttpStatusCode.Forbidden, await mod.StatusAsync(HttpMethod.Get, "/api/admin/audit"));

        var queue = (await mod.GetJsonAsync("/api/moderation/reports"))["items"]!.AsArray();
        Assert.Equal([("photo", photo), ("comment", comment)], queue.Select(r => ((string)r!["target"]!, (string)r["targetId"]!)));

        Assert.Equal(HttpStatusCode.NoContent, await mod.StatusAsync(HttpMethod.Post, $"/api/moderation/photos/{photo}/hide", JsonContent.Create(new { reason = "spam, confirmed" })));
        Assert.Equal(HttpStatusCode.NoContent, await mod.StatusAsync(HttpMethod.Post, $"/api/moderation/comments/{comment}/hide", JsonContent.Create(new { reason = "rude" })));
        Assert.Empty((await mod.GetJsonAsync("/api/moderation/reports"))["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, await reporter.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));
        Assert.Equal("spam, confirmed", (string?)(await owner.GetJsonAsync($"/api/photos/{photo}"))["hiddenReason"]);

        Assert.Equal(HttpStatusCode.NoContent, await mod.StatusAsync(HttpMethod.Post, $"/api/moderation/photos/{photo}/unhide"));
        Assert.Equal(HttpStatusCode.OK, await reporter.StatusAsync(HttpMethod.Get, $"/api/photos/{photo}"));
        Assert.Null((await reporter.GetJsonAsync($"/api/photos/{photo}"))["hiddenReason"]);
        Assert.Equal(HttpStatusCode.NoContent, await root.StatusAsync(HttpMethod.Post, $"/api/admin/users/{owner.Id}/suspend", JsonContent.Create(new { reason = "ban evasion" })));
        Assert.Equal(HttpStatusCode.NoContent, await root.StatusAsync(HttpMethod.Post, $"/api/admin/users/{owner.Id}/reinstate", JsonContent.Create(new { reason = "appeal" })));

        var audit = (await root.GetJsonAsync("/api/admin/audit"))["items"]!.AsArray();
        Assert.Equal(
            [
                ("user.reinstate", $"user:{owner.Id}", "appeal", root.Id),
                ("user.suspend", $"user:{owner.Id}", "ban evasion", root.Id),
                ("photo.unhide", $"photo:{photo}", null, mod.Id),
                ("comment.hide", $"comment:{comment}", "rude", mod.Id),
                ("photo.hide", $"photo:{photo}", "spam, confirmed", mod.Id),
                ("user.role", $"user:{mod.Id}", "moderator", root.Id),
            ],
            audit.Select(e => ((string)e!["action"]!, (string)e["target"]!, (string?)e["reason"], (string)e["actorId"]!)));
    }

    [Fact]
    public async Task Bad_reports_and_actions_get_typed_errors_and_change_nothing()
    {
        var root = await host.SignUpAsync("root");
        var owner = await host.SignUpAsync("owner", isPrivate: true);
        var stranger = await host.SignUpAsync("stranger");
        var photo = (string)(await owner.UploadAsync(Api.Image(2), "private"))["id"]!;

        Assert.Equal(HttpStatusCode.NotFound, await stranger.StatusAsync(HttpMethod.Post, $"/api/photos/{photo}/reports", JsonContent.Create(new { reason = "peek" })));
        Assert.Equal(HttpStatusCode.BadRequest, await owner.StatusAsync(HttpMethod.Post, $"/api/photos/{photo}/reports", JsonContent.Create(new { reason = "" })));
        Assert.Equal(HttpStatusCode.BadRequest, await owner.StatusAsync(HttpMethod.Post, $"/api/photos/{photo}/reports", JsonContent.Create(new { reason = new string('x', 501) })));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await owner.StatusAsync(HttpMethod.Post, $"/api/photos/{photo}/reports", new StringContent("reason=x", Encoding.UTF8, "text/plain")));
        Assert.Equal(HttpStatusCode.BadRequest, await owner.StatusAsync(HttpMethod.Post, $"/api/photos/{photo}/reports", new StringContent("{", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.NotFound, await owner.StatusAsync(HttpMethod.Post, "/api/comments/123456789/reports", JsonContent.Create(new { reason = "x" })));
        Assert.Equal(HttpStatusCode.BadRequest, await owner.StatusAsync(HttpMethod.Post, "/api/comments/not-an-id/reports", JsonContent.Create(new { reason = "x" })));
        Assert.Empty((await root.GetJsonAsync("/api/moderation/reports"))["items"]!.AsArray());

        Assert.Equal(HttpStatusCode.BadRequest, await root.StatusAsync(HttpMethod.Post, $"/api/moderation/photos/{photo}/hide", JsonContent.Create(new { reason = " " })));
        Assert.Equal(HttpStatusCode.NotFound, await root.StatusAsync(HttpMethod.Post, "/api/moderation/photos/123456789/hide", JsonContent.Create(new { reason = "x" })));
        Assert.Equal(HttpStatusCode.BadRequest, await root.StatusAsync(HttpMethod.Post, $"/api/admin/users/{root.Id}/suspend", JsonContent.Create(new { reason = "self" })));
        Assert.Equal(HttpStatusCode.BadRequest, await stranger.StatusAsync(HttpMethod.Put, $"/api/users/{stranger.Id}/block"));
        Assert.Equal(HttpStatusCode.NotFound, await stranger.StatusAsync(HttpMethod.Put, "/api/users/123456789/block"));
        Assert.Null((await owner.GetJsonAsync($"/api/photos/{photo}"))["hiddenReason"]);
        Assert.Empty((await root.GetJsonAsync("/api/admin/audit"))["items"]!.AsArray());
        Assert.Empty((await stranger.GetJsonAsync("/api/blocks"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_block_is_listed_and_a_suspended_accounts_token_stops_working_at_once()
    {
        var root = await host.SignUpAsync("root");
        var alice = await host.SignUpAsync("alice");
        var bob = await host.SignUpAsync("bob");
        Assert.Equal(HttpStatusCode.NoContent, await alice.StatusAsync(HttpMethod.Put, $"/api/users/{bob.Id}/block"));
        Assert.Equal(HttpStatusCode.NoContent, await alice.StatusAsync(HttpMethod.Put, $"/api/users/{bob.Id}/block")); // idempotent
        Assert.Equal([bob.Id], await alice.IdsAsync("/api/blocks"));
        Assert.Empty(await bob.IdsAsync("/api/blocks"));

        Assert.Equal(HttpStatusCode.OK, await bob.StatusAsync(HttpMethod.Get, "/api/users/me"));
        Assert.Equal(HttpStatusCode.NoContent, await root.StatusAsync(HttpMethod.Post, $"/api/admin/users/{bob.Id}/suspend", JsonContent.Create(new { reason = "abuse" })));
        Assert.Equal(HttpStatusCode.Unauthorized, await bob.StatusAsync(HttpMethod.Get, "/api/users/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, await bob.StatusAsync(HttpMethod.Post, "/api/photos", Api.Form(Api.Image(3))));
        Assert.Empty(await alice.IdsAsync("/api/blocks")); // a suspended account is listed nowhere
        var service = host.Services.GetRequiredService<ImageSocialService>();
        await Assert.ThrowsAsync<ForbiddenException>(() => service.For(UserId.Parse(bob.Id, null)).UploadPhotoAsync(Api.Image(3), new PhotoDraft("x")));
    }

    public void Dispose() => host.Dispose();
}
