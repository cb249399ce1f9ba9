using ImageSocial.Admin;
using ImageSocial.ConformanceTests;
using ImageSocial.Storage.Local;
using ImageSocial.Storage.S3;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;

namespace ImageSocial.Tests;

/// <summary>Moving a library from local disk to S3: every blob copied and read back the same, an interrupted run resumed, the settings
/// untouched; from the library API and from <c>./build.sh blobs migrate</c>.</summary>
public sealed class BlobMigrationTests : IDisposable
{
    private readonly S3Server s3 = S3Server.Start();
    private readonly TemporaryDirectory folder = new();

    [Fact]
    public async Task Every_blob_is_copied_and_verified_and_an_interrupted_run_resumes()
    {
        var local = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = folder.File("blobs") }));
        var blobs = await FillAsync(local, 30);
        using var target = new S3BlobStore(Options.Create(await S3OptionsAsync()));
        var journal = folder.File("migration.journal");

        using var cancel = new CancellationTokenSource();
        var interrupted = new BlobMigrationOptions { JournalPath = journal, Parallelism = 2, ProgressInterval = TimeSpan.Zero };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BlobMigration.MigrateAsync(local, target, interrupted,
            new CallbackProgress(r => { if (r.Copied >= 10) { cancel.Cancel(); } }), cancel.Token));
        var verified = File.ReadAllLines(journal).Length;
        Assert.InRange(verified, 10, 29);

        var report = await BlobMigration.MigrateAsync(local, target, new BlobMigrationOptions { JournalPath = journal });
        Assert.Equal((30L, 30L - verified, (long)verified), (report.Listed, report.Copied, report.Skipped));
        Assert.Empty(report.Mismatches);
        foreach (var (key, bytes, type) in blobs)
        {
            using var copy = await target.GetAsync(key);
            using var read = new MemoryStream();
            await copy!.Content.CopyToAsync(read);
            Assert.Equal(bytes, read.ToArray());
            Assert.Equal(type, copy.ContentType);
        }

        Assert.True(await local.ExistsAsync(blobs[0].Key)); // the source is left as it was
    }

    [Fact]
    public async Task The_admin_tool_migrates_with_the_hosts_settings_and_changes_none_of_them()
    {
        var data = folder.File("data");
        var local = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = Path.Combine(data, "blobs") }));
        await FillAsync(local, 5);
        var options = await S3OptionsAsync();
        var config = folder.File("appsettings.json");
        var settings = System.Text.Json.JsonSerializer.Serialize(new
        {
            ImageSocial = new
            {
                Providers = new { Blobs = "local" },
                S3 = new { options.ServiceUrl, options.Bucket, options.AccessKey, options.SecretKey, ForcePathStyle = true },
            },
        });
        await File.WriteAllTextAsync(config, settings);

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await AdminTool.RunAsync(["blobs", "migrate", "--from", "local", "--to", "s3", "--config", config, "--data", data], output, error));
        Assert.Contains("5 copied and verified", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("0 mismatches", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(settings, await File.ReadAllTextAsync(config));
        using var again = new StringWriter();
        Assert.Equal(0, await AdminTool.RunAsync(["blobs", "migrate", "--from", "local", "--to", "s3", "--config", config, "--data", data], again, error));
        Assert.Contains("0 copied and verified (0.0 MiB), 5 already done", again.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await AdminTool.RunAsync(["blobs", "migrate", "--from", "local", "--to", "local", "--data", data], again, error));
    }

    [Fact]
    public async Task A_deployment_on_S3_is_backed_up_and_restored_into_another_bucket_object_for_object()
    {
        using var deployment = new TestHost(folder.File("deployment"));
        await deployment.Service.CreateUserAsync("s3_owner", "Owner");
        using var source = new S3BlobStore(Options.Create(await S3OptionsAsync()));
        var blobs = await FillAsync(source, 6);
        var manifest = await DeploymentBackup.BackupAsync(deployment.Get<IMetadataBackup>(), source, new BackupOptions { Repository = folder.File("backups") });
        Assert.Equal(6, manifest.Blobs.Count);

        using var restored = new TestHost(folder.File("restored"));
        using var target = new S3BlobStore(Options.Create(await S3OptionsAsync()));
        await DeploymentBackup.RestoreAsync(restored.Get<IMetadataBackup>(), target, new RestoreOptions { Source = folder.File("backups") });
        Assert.NotNull(await restored.Service.FindAccountAsync("s3_owner"));
        foreach (var (key, bytes, type) in blobs)
        {
            using var copy = await target.GetAsync(key);
            using var read = new MemoryStream();
            await copy!.Content.CopyToAsync(read);
            Assert.Equal(bytes, read.ToArray());
            Assert.Equal(type, copy.ContentType);
        }
    }

    public void Dispose()
    {
        s3.Dispose();
        folder.Dispose();
    }

    private async Task<S3BlobStoreOptions> S3OptionsAsync() => new()
    {
        ServiceUrl = s3.ServiceUrl, Bucket = await s3.NewBucketAsync(), AccessKey = s3.AccessKey, SecretKey = s3.SecretKey, ForcePathStyle = true,
        MultipartThreshold = 5 << 20, PartSize = 5 << 20,
    };

    private static async Task<List<(string Key, byte[] Bytes, string Type)>> FillAsync(IBlobStore store, int count)
    {
        var blobs = new List<(string, byte[], string)>();
        for (var i = 0; i < count; i++)
        {
            var size = i == 0 ? (6 << 20) + 5 : 1000 + (i * 997); // one goes up in parts
            var bytes = Enumerable.Range(0, size).Select(b => (byte)(b * (i + 1))).ToArray();
            var key = $"u{i % 3}/p{i}/{(i % 2 == 0 ? "original" : "thumb")}";
            var type = i % 2 == 0 ? "image/png" : "image/jpeg";
            await store.PutAsync(key, bytes, type);
            blobs.Add((key, bytes, type));
        }

        return blobs;
    }

    private sealed class CallbackProgress(Action<BlobMigrationReport> report) : IProgress<BlobMigrationReport>
    {
        public void Report(BlobMigrationReport value) => report(value);
    }
}
