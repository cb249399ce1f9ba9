using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.SampleHost.Tests;

/// <summary>The administration routes, the Prometheus endpoint and the host's health, on a host with an administrator account.</summary>
public sealed class AdminRouteTests : IDisposable
{
    private readonly SampleHostFactory host = new()
    {
        Settings =
        {
            ["Auth:Admins:0"] = "root_1",
            ["ImageSocial:Jobs:MaxAttempts"] = "2",
            ["ImageSocial:Jobs:InitialRetryDelay"] = "00:00:00.010",
        },
    };

    [Fact]
    public async Task Work_that_keeps_failing_becomes_a_dead_letter_that_an_admin_lists_and_retries()
    {
        var root = await host.SignUpAsync("root"); // the first account of this host: root_1
        var member = await host.SignUpAsync("member");
        Assert.Equal(HttpStatusCode.Forbidden, await member.StatusAsync(HttpMethod.Get, "/api/admin/dead-letters"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync("/api/admin/outbox")).StatusCode);

        // A message no handler knows fails every time: after two attempts it is set aside.
        await host.Services.GetRequiredService<IOutbox>().EnqueueAsync([OutboxMessage.Create("test.unknown", 42)]);
        JsonArray items = [];
        await Api.EventuallyAsync(async () => (items = (await root.GetJsonAsync("/api/admin/dead-letters"))["items"]!.AsArray()).Count == 1, "the dead letter");
        var letter = items[0]!;
        Assert.Equal(("test.unknown", "42", 2), ((string)letter["kind"]!, (string)letter["subject"]!, (int)letter["attempts"]!));
        Assert.Contains("No handler", (string)letter["error"]!, StringComparison.Ordinal);
        Assert.Equal(1, (int)(await root.GetJsonAsync("/api/admin/outbox"))["deadLetters"]!);

        var deadAt = (DateTimeOffset)letter["deadAt"]!;
        Assert.Equal(HttpStatusCode.NoContent, await root.StatusAsync(HttpMethod.Post, $"/api/admin/dead-letters/{(string)letter["id"]!}/retry"));
        Assert.Equal(HttpStatusCode.NotFound, await root.StatusAsync(HttpMethod.Post, "/api/admin/dead-letters/999999/retry"));
        Assert.Equal(HttpStatusCode.BadRequest, await root.StatusAsync(HttpMethod.Post, "/api/admin/dead-letters/abc/retry"));
        // Retried, it ran its attempts again and was set aside again, later.
        await Api.EventuallyAsync(async () => (await root.GetJsonAsync("/api/admin/dead-letters"))["items"]!.AsArray() is [{ } again]
            && (DateTimeOffset)again["deadAt"]! > deadAt, "the retried letter to fail again");
        using var all = await root.Http.PostAsync("/api/admin/dead-letters/retry", null);
        Assert.Equal(1, (int)JsonNode.Parse(await all.Content.ReadAsStringAsync())!["retried"]!);
    }

    [Fact]
    public async Task Metrics_show_the_sdks_instruments()
    {
        var user = await host.SignUpAsync("metrics");
        var photo = (string)(await user.UploadAsync(Api.Image(5), "measured"))["id"]!;
        await user.GetJsonAsync($"/api/photos/{photo}");
        await user.GetJsonAsync("/api/feed");
        await Api.EventuallyAsync(async () => (await user.GetJsonAsync($"/api/photos/{photo}/similar"))["items"] is not null, "similar");
        string metrics = "";
        await Api.EventuallyAsync(async () => (metrics = await host.CreateClient().GetStringAsync("/metrics")).Contains("imagesocial_outbox_job_duration", StringComparison.Ordinal),
            "the outbox job to be measured");
        foreach (var name in new[] { "imagesocial_upload_duration", "imagesocial_upload_size", "imagesocial_operation_duration", "imagesocial_codec_renditions",
            "imagesocial_embedding_batch_size", "imagesocial_vector_search_duration", "db_client_operation_duration", "imagesocial_blob_operation_duration" })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_admin_grants_and_revokes_roles_and_a_revoked_admin_loses_the_routes_at_once()
    {
        var root = await host.SignUpAsync("root");
        var other = await host.SignUpAsync("member");
        Assert.Equal(HttpStatusCode.Forbidden, await other.StatusAsync(HttpMethod.Put, $"/api/admin/users/{root.Id}/role", JsonContent.Create(new { role = "member" })));

        Assert.Equal(HttpStatusCode.NoContent, await root.StatusAsync(HttpMethod.Put, $"/api/admin/users/{other.Id}/role", JsonContent.Create(new { role = "admin" })));
        Assert.Equal(HttpStatusCode.OK, await other.StatusAsync(HttpMethod.Get, "/api/admin/outbox")); // the same token: the role is read per request
        Assert.Equal(HttpStatusCode.BadRequest, await root.StatusAsync(HttpMethod.Put, $"/api/admin/users/{other.Id}/role", JsonContent.Create(new { role = "emperor" })));
        Assert.Equal(HttpStatusCode.NotFound, await root.StatusAsync(HttpMethod.Put, "/api/admin/users/123/role", JsonContent.Create(new { role = "admin" })));

        Assert.Equal(HttpStatusCode.NoContent, await root.StatusAsync(HttpMethod.Put, $"/api/admin/users/{other.Id}/role", JsonContent.Create(new { role = "member" })));
        Assert.Equal(HttpStatusCode.Forbidden, await other.StatusAsync(HttpMethod.Get, "/api/admin/outbox"));
    }

    public void Dispose() => host.Dispose();
}
