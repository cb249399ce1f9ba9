using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageSocial.Storage.Local;
using ImageSocial.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Tests;

/// <summary>A deployment restored from a backup serves every photo with identical bytes and finds it by similarity with the job runner off:
/// the index is rebuilt from the restored embeddings, nothing is embedded again.</summary>
public sealed class RestoredHostTests : IDisposable
{
    private readonly SampleHostFactory source = new();
    private readonly SampleHostFactory restored = new() { Settings = { ["ImageSocial:Jobs:Enabled"] = "false" } };
    private readonly string repository = Path.Combine(Path.GetTempPath(), "imagesocial-backup-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_restored_host_without_jobs_serves_and_finds_every_photo()
    {
        var alice = await source.SignUpAsync("alice");
        var images = new Dictionary<string, byte[]>();
        for (var i = 0; i < 4; i++)
        {
            var image = Api.Image(70 + i);
            images[(string)(await alice.UploadAsync(image, $"restored {i}"))["id"]!] = image;
        }

        foreach (var (id, image) in images)
        {
            await Api.EventuallyAsync(async () =>
            {
                using var response = await alice.Http.PostAsync("/api/search/similar?limit=10", Api.Form(image));
                return Api.Ids((await response.Content.ReadFromJsonAsync<JsonObject>())!).Contains(id);
            }, "the photos to be indexed");
        }

        await DeploymentBackup.BackupAsync(source.Services.GetRequiredService<IMetadataBackup>(), source.Services.GetRequiredService<IBlobStore>(),
            new BackupOptions { Repository = repository });

        // Restored into the second host's empty data folder before it starts, as ./build.sh restore does.
        using (var metadata = new SqliteMetadataStore(Options.Create(new SqliteStoreOptions { DatabasePath = Path.Combine(restored.DataDirectory, "imagesocial.db") })))
        {
            var blobs = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = Path.Combine(restored.DataDirectory, "blobs") }));
            await DeploymentBackup.RestoreAsync(metadata, blobs, new RestoreOptions { Source = repository });
        }

        var client = restored.CreateClient();
        using var token = await client.PostAsJsonAsync("/api/auth/token", new { username = alice.Username, password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        client.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
        foreach (var (id, image) in images)
        {
            Assert.Equal(image, await client.GetByteArrayAsync($"/api/photos/{id}/content/original"));
            await Api.EventuallyAsync(async () =>
            {
                using var response = await client.PostAsync("/api/search/similar?limit=10", Api.Form(image));
                return Api.Ids((await response.Content.ReadFromJsonAsync<JsonObject>())!).FirstOrDefault() == id;
            }, "the restored photo to be found by similarity");
        }
    }

    [Fact]
    public async Task A_host_with_a_backup_schedule_takes_backups_and_keeps_the_newest()
    {
        using var scheduled = new SampleHostFactory
        {
            Settings = { ["Backup:Repository"] = repository, ["Backup:Interval"] = "00:00:00.500", ["Backup:Keep"] = "2" },
        };
        var alice = await scheduled.SignUpAsync("alice");
        await alice.UploadAsync(Api.Image(90), "scheduled");
        await Api.EventuallyAsync(async () =>
        {
            try
            {
                return DeploymentBackup.ListBackups(repository).Count == 2 && (await DeploymentBackup.VerifyAsync(repository)).Metadata.Counts["photos"] == 1;
            }
            catch (BackupDamagedException)
            {
                return false; // retention removed the one being read: the next tick has another
            }
        }, "two scheduled backups with the photo");
        Assert.True(DeploymentBackup.ListBackups(repository).Count <= 2);
    }

    public void Dispose()
    {
        source.Dispose();
        restored.Dispose();
        if (Directory.Exists(repository))
        {
            Directory.Delete(repository, recursive: true);
        }
    }
}
