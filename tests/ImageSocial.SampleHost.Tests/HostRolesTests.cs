using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.SampleHost.Tests;

/// <summary>Hosts with roles (<c>Host:Roles</c>): a read host leaves uploads and jobs to others and says so with 503.</summary>
public sealed class HostRolesTests
{
    [Fact]
    public async Task A_read_host_declines_uploads_runs_no_jobs_and_serves_reads()
    {
        using var host = new SampleHostFactory { Settings = { ["Host:Roles"] = "reads" } };
        var alice = await host.SignUpAsync("alice");
        using var upload = await alice.Http.PostAsync("/api/photos", Api.Form(Api.Image(5)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.StatusCode);
        Assert.Equal("application/problem+json", upload.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, await alice.StatusAsync(HttpMethod.Get, "/api/feed"));
        Assert.False(host.Services.GetRequiredService<ImageSocialService>().Jobs.IsRunning);
        Assert.False(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImageSocialOptions>>().Value.Jobs.Enabled);
    }

    [Fact]
    public async Task An_upload_host_declines_reads_but_takes_uploads_and_sign_ins()
    {
        using var host = new SampleHostFactory { Settings = { ["Host:Roles"] = "uploads+jobs" } };
        var alice = await host.SignUpAsync("alice");
        using var upload = await alice.Http.PostAsync("/api/photos", Api.Form(Api.Image(6)));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await alice.StatusAsync(HttpMethod.Get, "/api/feed"));
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetAsync("/health")).StatusCode);
    }
}
