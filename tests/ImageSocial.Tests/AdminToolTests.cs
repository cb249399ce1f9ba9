using ImageSocial.Admin;
using ImageSocial.ConformanceTests;

namespace ImageSocial.Tests;

/// <summary><c>./build.sh admin dead-letters list|retry</c> on an embedded deployment's data folder.</summary>
public sealed class AdminToolTests
{
    [Fact]
    public async Task Backup_and_restore_run_from_the_command_line_with_progress_and_refuse_a_deployment_in_use()
    {
        using var folder = new TemporaryDirectory();
        var (source, target, repository) = (folder.File("source"), folder.File("target"), folder.File("backups"));
        using (var host = new TestHost(source))
        {
            var owner = (await host.Service.CreateUserAsync("cli_owner", "Owner")).Id;
            await host.Service.For(owner).UploadPhotoAsync(Imaging.Vips.Tests.TestImages.Encode(80, 60), new PhotoDraft("backed up"));
        }

        var (code, output, _) = await RunAsync("backup", "--help");
        Assert.Equal(0, code);
        Assert.Contains("manifest.json", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("backup", "--to", repository, "--keep", "3", "--data", source);
        Assert.Equal(0, code);
        Assert.Contains("metadata: 1 done", output, StringComparison.Ordinal);
        Assert.Contains("1 users, 1 photos", output, StringComparison.Ordinal);
        Assert.Contains("4 blobs", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync("restore", "--from", repository, "--data", target);
        Assert.Equal(0, code);
        Assert.Contains("done: restored backup", output, StringComparison.Ordinal);
        using (var host = new TestHost(target))
        {
            Assert.NotNull(await host.Service.FindAccountAsync("cli_owner"));
        }

        (code, _, var error) = await RunAsync("restore", "--from", repository, "--data", target);
        Assert.Equal(1, code);
        Assert.Contains("not empty", error, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("restore", "--from", repository, "--data", target, "--force")).Code);
    }

    [Fact]
    public async Task Blobs_reencrypt_moves_every_local_blob_under_the_current_key_with_the_hosts_settings()
    {
        using var folder = new TemporaryDirectory();
        var first = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("first"u8));
        var second = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("second"u8));
        var blobs = Path.Combine(folder.Path, "blobs");
        var plain = new Storage.Local.LocalBlobStore(Microsoft.Extensions.Options.Options.Create(new Storage.Local.LocalBlobStoreOptions { RootPath = blobs }));
        await plain.PutAsync("u/p/plain", "a plain blob"u8.ToArray(), "text/plain");
        var old = new Storage.Local.LocalBlobStoreOptions { RootPath = blobs };
        old.Encryption.CurrentKeyId = "old";
        old.Encryption.Keys["old"] = first;
        await new Storage.Local.LocalBlobStore(Microsoft.Extensions.Options.Options.Create(old)).PutAsync("u/p/old", "an old blob"u8.ToArray(), "text/plain");

        var config = folder.File("appsettings.json");
        await File.WriteAllTextAsync(config, System.Text.Json.JsonSerializer.Serialize(new
        {
            ImageSocial = new { LocalBlobs = new { Encryption = new { CurrentKeyId = "new", Keys = new Dictionary<string, string> { ["old"] = first, ["new"] = second } } } },
        }));
        var (code, output, _) = await RunAsync("blobs", "reencrypt", "--config", config, "--data", folder.Path);
        Assert.Equal(0, code);
        Assert.Contains("done: 2 blobs rewritten", output, StringComparison.Ordinal);

        // Only the new key is needed now.
        var current = new Storage.Local.LocalBlobStoreOptions { RootPath = blobs };
        current.Encryption.CurrentKeyId = "new";
        current.Encryption.Keys["new"] = second;
        var store = new Storage.Local.LocalBlobStore(Microsoft.Extensions.Options.Options.Create(current));
        foreach (var (key, text) in new[] { ("u/p/plain", "a plain blob"), ("u/p/old", "an old blob") })
        {
            using var blob = (await store.GetAsync(key))!;
            Assert.Equal(text, await new StreamReader(blob.Content).ReadToEndAsync());
        }

        (_, output, _) = await RunAsync("blobs", "reencrypt", "--config", config, "--data", folder.Path);
        Assert.Contains("done: 0 blobs rewritten", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dead_letters_are_listed_and_retried_from_the_command_line()
    {
        using var folder = new TemporaryDirectory();
        long first, second;
        using (var host = new TestHost(folder.Path))
        {
            var outbox = host.Get<IOutbox>();
            await outbox.EnqueueAsync([OutboxMessage.Create("test.one", 11), OutboxMessage.Create("test.two", 22)]);
            var claimed = await outbox.ClaimAsync("admin-test", 10, host.Clock.GetUtcNow(), host.Clock.GetUtcNow().AddMinutes(1));
            (first, second) = (claimed[0].Id, claimed[1].Id);
            await outbox.DeadLetterAsync(first, host.Clock.GetUtcNow(), "first failure");
            await outbox.DeadLetterAsync(second, host.Clock.GetUtcNow(), "second failure");
        }

        var (code, output, _) = await RunAsync("dead-letters", "list", "--data", folder.Path);
        Assert.Equal(0, code);
        Assert.Contains("test.one", output, StringComparison.Ordinal);
        Assert.Contains("second failure", output, StringComparison.Ordinal);
        Assert.Contains("2 dead letter(s)", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync("dead-letters", "retry", "--id", first.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", folder.Path);
        Assert.Equal((0, true), (code, output.Contains("requeued 1", StringComparison.Ordinal)));
        (code, _, var error) = await RunAsync("dead-letters", "retry", "--id", first.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", folder.Path);
        Assert.Equal(1, code);
        Assert.Contains("no dead letter", error, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("dead-letters", "list", "--json", "--data", folder.Path);
        Assert.Contains("\"kind\":\"test.two\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("test.one", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("dead-letters", "retry", "--all", "--data", folder.Path);
        Assert.Contains("requeued 1", output, StringComparison.Ordinal);

        using (var host = new TestHost(folder.Path))
        {
            Assert.Equal(2, await host.Get<IOutbox>().CountPendingAsync());
        }

        (code, _, error) = await RunAsync("dead-letters", "list", "--data", Path.Combine(folder.Path, "nothing-here"));
        Assert.Equal(1, code);
        Assert.Contains("no deployment", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("dead-letters", "retry", "--data", folder.Path);
        Assert.Equal(2, code);
        Assert.Contains("--id is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vectors_rebuild_loads_the_stored_embeddings_into_an_empty_index_and_refuses_another_space()
    {
        using var folder = new TemporaryDirectory();
        string space;
        using (var host = new TestHost(folder.Path))
        {
            var owner = (await host.Service.CreateUserAsync("admin_vectors", "Admin")).Id;
            for (var i = 0; i < 3; i++)
            {
                await host.Service.For(owner).UploadPhotoAsync(Imaging.Vips.Tests.TestImages.Encode(90 + i, 64), new PhotoDraft($"v{i}"));
            }

            await host.Jobs.RunDueAsync();
            space = host.Get<IEmbeddingEngine>().ModelId;
        }

        Directory.Delete(Path.Combine(folder.Path, "vectors"), recursive: true);
        var (code, _, error) = await RunAsync("vectors", "rebuild", "--space", "another-model@512", "--data", folder.Path);
        Assert.Equal(1, code);
        Assert.Contains(space, error, StringComparison.Ordinal);

        (code, var output, _) = await RunAsync("vectors", "rebuild", "--space", space, "--data", folder.Path, "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"vectors\":3", output, StringComparison.Ordinal);
        Assert.Contains("the index now holds 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grant_stores_a_role_that_the_sdk_then_honours()
    {
        using var folder = new TemporaryDirectory();
        UserId boss, worker;
        using (var host = new TestHost(folder.Path))
        {
            (boss, worker) = ((await host.Service.CreateUserAsync("boss", "Boss")).Id, (await host.Service.CreateUserAsync("worker", "Worker")).Id);
            await Assert.ThrowsAsync<ForbiddenException>(() => host.Service.For(boss).SetRoleAsync(worker, UserRole.Moderator));
        }

        var (code, output, _) = await RunAsync("grant", "--handle", "BOSS", "--role", "admin", "--data", folder.Path);
        Assert.Equal(0, code);
        Assert.Contains("boss", output, StringComparison.Ordinal);
        Assert.Equal(1, (await RunAsync("grant", "--handle", "nobody", "--role", "admin", "--data", folder.Path)).Code);
        Assert.Equal(2, (await RunAsync("grant", "--handle", "boss", "--role", "emperor", "--data", folder.Path)).Code);

        using (var host = new TestHost(folder.Path))
        {
            Assert.Equal(UserRole.Admin, (await host.Service.For(boss).GetProfileAsync()).Role);
            await host.Service.For(boss).SetRoleAsync(worker, UserRole.Moderator);
            Assert.Equal(UserRole.Moderator, (await host.Service.For(worker).GetProfileAsync()).Role);
            await Assert.ThrowsAsync<ForbiddenException>(() => host.Service.For(worker).SetRoleAsync(worker, UserRole.Admin)); // a moderator grants nothing
            await host.Service.For(boss).SetRoleAsync(worker, UserRole.Member);
            Assert.Equal(UserRole.Member, (await host.Service.For(worker).GetProfileAsync()).Role);
        }
    }

    /// <summary>Runs the admin tool in process; its exit code and what it wrote to each stream.</summary>
    internal static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminTool.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
