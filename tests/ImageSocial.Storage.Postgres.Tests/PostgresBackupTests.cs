using ImageSocial.ConformanceTests;
using ImageSocial.Storage.Local;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres.Tests;

/// <summary>A two-server deployment backed up with pg_dump per server and restored with pg_restore into two other databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackupTests(PostgresServers servers) : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    [Fact]
    public async Task A_two_server_deployment_is_restored_whole_into_empty_servers_of_the_same_names()
    {
        using var source = servers.NewStore();
        await source.EnsureCreatedAsync();
        var stores = MetadataStores.Of(source);
        var users = new List<User>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await stores.UserAsync($"pgb{i}"));
        }

        var photos = new List<Photo>();
        foreach (var user in users)
        {
            photos.Add(await stores.PhotoAsync(user, $"backed up {user.Handle}", Visibility.Public, "backup"));
            await source.FollowAsync(user.Id, users[0].Id == user.Id ? users[1].Id : users[0].Id, false);
        }

        await source.LikeAsync(photos[0].Id, users[2].Id);
        await source.AddCommentAsync(new Comment(new CommentId(MetadataStores.NewId(photos[0].Id.LogicalShard)), photos[0].Id, users[3].Id, "kept"));
        await source.SaveEmbeddingsAsync("space-1", [new PhotoEmbedding(photos[1].Id, new float[] { 1, 2, 3 })]);
        var blobs = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = folder.File("blobs-a") }));
        await blobs.PutAsync("u/1/p/1/original", new byte[] { 1, 2, 3 }, "image/jpeg");

        var manifest = await DeploymentBackup.BackupAsync(source, blobs, new BackupOptions { Repository = folder.File("repository") });
        Assert.Equal(["a.dump", "b.dump"], manifest.Metadata.Files.Select(f => f.Name));
        Assert.Equal((6L, 6L, 6L, 1L, 6L, 1L, 1L), (manifest.Metadata.Counts["users"], manifest.Metadata.Counts["photos"], manifest.Metadata.Counts["livePhotos"],
            manifest.Metadata.Counts["embeddings"], manifest.Metadata.Counts["follows"], manifest.Metadata.Counts["likes"], manifest.Metadata.Counts["comments"]));

        var targetOptions = servers.NewOptions();
        using var target = new PostgresMetadataStore(Options.Create(targetOptions));
        await target.EnsureCreatedAsync(); // a host started on the empty servers first: schemas exist, no accounts
        Assert.True(await target.IsMetadataEmptyAsync());
        var targetBlobs = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = folder.File("blobs-b") }));
        await DeploymentBackup.RestoreAsync(target, targetBlobs, new RestoreOptions { Source = folder.File("repository") });

        // A fresh store over the restored servers (as a restarted host) reads everything back.
        using var restarted = new PostgresMetadataStore(Options.Create(servers.NewOptions(database: PostgresServers.DatabaseOf(targetOptions))));
        Assert.False(await restarted.IsMetadataEmptyAsync());
        foreach (var user in users)
        {
            Assert.Equal(user.Handle, (await restarted.GetByHandleAsync(user.Handle))!.Handle);
        }

        Assert.Equal(photos.Select(p => p.Id).Order(), (await restarted.GetVisibleAsync(photos.Select(p => p.Id).ToList(), users[4].Id)).Select(p => p.Id).Order());
        Assert.Equal(FollowState.Following, await restarted.GetStateAsync(users[2].Id, users[0].Id));
        Assert.True(await restarted.HasLikedAsync(photos[0].Id, users[2].Id));
        Assert.Single((await restarted.GetEmbeddingsAsync("space-1", [photos[1].Id])));
        Assert.True(await targetBlobs.ExistsAsync("u/1/p/1/original"));
        var again = await DeploymentBackup.BackupAsync(restarted, targetBlobs, new BackupOptions { Repository = folder.File("again") });
        Assert.Equal(manifest.Metadata.Counts, again.Metadata.Counts);
    }

    [Fact]
    public async Task A_backup_of_other_servers_is_refused_before_anything_is_changed()
    {
        using var source = servers.NewStore();
        await source.EnsureCreatedAsync();
        var snapshot = await source.BackupMetadataAsync(Directory.CreateDirectory(folder.File("dumps")).FullName);
        using var other = new PostgresMetadataStore(Options.Create(Renamed(servers.NewOptions())));
        var error = await Assert.ThrowsAsync<ValidationException>(() => other.RestoreMetadataAsync(folder.File("dumps"), snapshot));
        Assert.Contains("same names", error.Message, StringComparison.Ordinal);
    }

    private static PostgresStoreOptions Renamed(PostgresStoreOptions options)
    {
        options.Servers[1].Name = "c";
        return options;
    }

    public void Dispose() => folder.Dispose();
}
