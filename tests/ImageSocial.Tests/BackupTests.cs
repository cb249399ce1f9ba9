using ImageSocial.ConformanceTests;
using ImageSocial.ProviderServices;
using ImageSocial.Imaging.Vips.Tests;

namespace ImageSocial.Tests;

/// <summary>Backups of an embedded deployment (SQLite and local blobs) taken while it is busy, restored into an empty one, and damaged.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly TemporaryDirectory repository = new();

    private static byte[] Image(int seed) => TestImages.Encode(64 + seed, 48, "jpeg", (x, y) => ((byte)(x * seed % 256), (byte)(y * 3 % 256), (byte)(seed * 41 % 256)));

    private static async Task<byte[]> ReadAsync(ActingUser viewer, PhotoId id, RenditionKind kind)
    {
        using var blob = await viewer.OpenContentAsync(id, kind);
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_backup_taken_during_uploads_deletes_and_likes_restores_every_acknowledged_photo_with_identical_bytes()
    {
        using var source = new TestHost();
        var owner = await source.Service.CreateUserAsync("owner", "Owner");
        var fan = await source.Service.CreateUserAsync("fan", "Fan");
        await source.Service.For(fan.Id).FollowAsync(owner.Id);
        var acknowledged = new Dictionary<PhotoId, byte[]>();
        for (var i = 0; i < 12; i++)
        {
            var bytes = Image(i + 1);
            acknowledged[(await source.Service.For(owner.Id).UploadPhotoAsync(bytes, new PhotoDraft($"before {i}"))).Id] = bytes;
        }

        // Concurrent work while the backup runs: new uploads, deletes of some of them, likes of the acknowledged ones.
        using var stop = new CancellationTokenSource();
        var working = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var photo = await source.Service.For(owner.Id).UploadPhotoAsync(Image(100 + n), new PhotoDraft($"during {n}"));
                if (n % 2 == 0)
                {
                    await source.Service.For(owner.Id).DeletePhotoAsync(photo.Id);
                }

                await source.Service.For(fan.Id).LikeAsync(acknowledged.Keys.ElementAt(n % acknowledged.Count));
                working.TrySetResult();
                n++;
            }

            return n;
        });
        // The backup starts once the concurrent work has written (a like among it); a fixed pause was too short on a loaded machine.
        await working.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var manifest = await DeploymentBackup.BackupAsync(source.Get<IMetadataBackup>(), source.Get<IBlobStore>(), new BackupOptions { Repository = repository.Path });
        await stop.CancelAsync();
        Assert.True(await busy > 0);
        Assert.True(File.Exists(Path.Combine(repository.Path, manifest.Id, "manifest.json")));

        using var target = new TestHost();
        var report = await DeploymentBackup.RestoreAsync(target.Get<IMetadataBackup>(), target.Get<IBlobStore>(), new RestoreOptions { Source = repository.Path });
        Assert.Equal(manifest.Blobs.Count, report.Blobs);

        // Every photo acknowledged before the backup began, with the bytes uploaded.
        foreach (var (id, bytes) in acknowledged)
        {
            Assert.Equal(bytes, await ReadAsync(target.Service.For(owner.Id), id, RenditionKind.Original));
        }

        // Nothing restored refers to a missing blob: every live photo has all of its renditions.
        var blobs = target.Get<IBlobStore>();
        string? cursor = null;
        var live = 0;
        do
        {
            var page = await target.Get<IPhotoStore>().ListAllLiveAsync(new PageRequest(cursor, 100));
            foreach (var photo in page.Items)
            {
                live++;
                foreach (var kind in new[] { RenditionKind.Original, RenditionKind.Thumb, RenditionKind.Feed, RenditionKind.Large })
                {
                    Assert.True(await blobs.ExistsAsync(BlobKeys.ForRendition(photo.OwnerId, photo.Id, kind)), $"{photo.Id} {kind}");
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        // The counts of the restored deployment are the manifest's.
        Assert.Equal(manifest.Metadata.Counts["livePhotos"], live);
        using var again = new TemporaryDirectory();
        var copy = await DeploymentBackup.BackupAsync(target.Get<IMetadataBackup>(), blobs, new BackupOptions { Repository = again.Path });
        Assert.Equal(manifest.Metadata.Counts, copy.Metadata.Counts);
        Assert.Equal(manifest.Blobs.Select(b => (b.Key, b.Sha256)), copy.Blobs.Select(b => (b.Key, b.Sha256)));
        Assert.True(manifest.Metadata.Counts["likes"] > 0);
    }

    [Fact]
    public async Task A_second_backup_reads_only_new_blobs_and_retention_keeps_the_newest()
    {
        using var source = new TestHost();
        var owner = await source.Service.CreateUserAsync("owner", "Owner");
        await source.Service.For(owner.Id).UploadPhotoAsync(Image(1), new PhotoDraft("one"));
        var first = await DeploymentBackup.BackupAsync(source.Get<IMetadataBackup>(), source.Get<IBlobStore>(), new BackupOptions { Repository = repository.Path });
        Assert.Equal(4, first.Totals.CopiedBlobs);
        var photo = await source.Service.For(owner.Id).UploadPhotoAsync(Image(2), new PhotoDraft("two"));
        await Task.Delay(5); // backup ids are milliseconds
        var second = await DeploymentBackup.BackupAsync(source.Get<IMetadataBackup>(), source.Get<IBlobStore>(), new BackupOptions { Repository = repository.Path, Keep = 1 });
        Assert.Equal((8L, 4L), (second.Totals.Blobs, second.Totals.CopiedBlobs));
        Assert.Equal([Path.Combine(repository.Path, second.Id)], DeploymentBackup.ListBackups(repository.Path));
        var objects = Directory.GetFiles(Path.Combine(repository.Path, "objects"), "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)).ToHashSet();
        Assert.Equal(second.Blobs.Select(b => b.Sha256).ToHashSet(), objects);
        Assert.Contains(second.Blobs, b => b.Key == BlobKeys.ForRendition(owner.Id, photo.Id, RenditionKind.Original));
    }

    [Theory]
    [InlineData("flipped byte", "blob")]
    [InlineData("missing blob", "blob")]
    [InlineData("truncated dump", "metadata file 'imagesocial.db'")]
    [InlineData("no manifest", "manifest.json")]
    public async Task A_damaged_backup_is_refused_with_what_is_wrong_and_changes_nothing(string damage, string named)
    {
        using var source = new TestHost();
        var owner = await source.Service.CreateUserAsync("owner", "Owner");
        await source.Service.For(owner.Id).UploadPhotoAsync(Image(3), new PhotoDraft("kept"));
        var manifest = await DeploymentBackup.BackupAsync(source.Get<IMetadataBackup>(), source.Get<IBlobStore>(), new BackupOptions { Repository = repository.Path });
        var folder = Path.Combine(repository.Path, manifest.Id);
        var blob = manifest.Blobs.First(b => b.Key.EndsWith("/original", StringComparison.Ordinal));
        var objectPath = Path.Combine(repository.Path, "objects", blob.Sha256[..2], blob.Sha256);
        switch (damage)
        {
            case "flipped byte":
                var bytes = await File.ReadAllBytesAsync(objectPath);
                bytes[bytes.Length / 2] ^= 0x20;
                await File.WriteAllBytesAsync(objectPath, bytes);
                break;
            case "missing blob":
                File.Delete(objectPath);
                break;
            case "truncated dump":
                var dump = Path.Combine(folder, "metadata", "imagesocial.db");
                await File.WriteAllBytesAsync(dump, (await File.ReadAllBytesAsync(dump))[..4096]);
                break;
            default:
                File.Delete(Path.Combine(folder, "manifest.json"));
                break;
        }

        using var target = new TestHost();
        var error = await Assert.ThrowsAsync<BackupDamagedException>(() =>
            DeploymentBackup.RestoreAsync(target.Get<IMetadataBackup>(), target.Get<IBlobStore>(), new RestoreOptions { Source = folder }));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        if (named == "blob")
        {
            Assert.Contains(blob.Key, error.Message, StringComparison.Ordinal);
        }

        Assert.True(await target.Get<IMetadataBackup>().IsMetadataEmptyAsync());
        await foreach (var key in target.Get<IBlobStore>().ListAsync(""))
        {
            Assert.Fail($"the refused restore wrote {key}");
        }
    }

    [Fact]
    public async Task A_restore_into_a_deployment_that_holds_accounts_is_refused_unless_forced()
    {
        using var source = new TestHost();
        await source.Service.CreateUserAsync("original", "Original");
        await DeploymentBackup.BackupAsync(source.Get<IMetadataBackup>(), source.Get<IBlobStore>(), new BackupOptions { Repository = repository.Path });

        using var target = new TestHost();
        await target.Service.CreateUserAsync("someone", "Someone");
        await Assert.ThrowsAsync<ConflictException>(() =>
            DeploymentBackup.RestoreAsync(target.Get<IMetadataBackup>(), target.Get<IBlobStore>(), new RestoreOptions { Source = repository.Path }));
        Assert.NotNull(await target.Service.FindAccountAsync("someone"));

        await DeploymentBackup.RestoreAsync(target.Get<IMetadataBackup>(), target.Get<IBlobStore>(), new RestoreOptions { Source = repository.Path, Force = true });
        Assert.NotNull(await target.Service.FindAccountAsync("original"));
        Assert.Null(await target.Service.FindAccountAsync("someone"));
    }

    public void Dispose() => repository.Dispose();
}
