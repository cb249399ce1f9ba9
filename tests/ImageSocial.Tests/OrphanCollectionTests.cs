using System.Diagnostics;
using ImageSocial.ConformanceTests;
using ImageSocial.ProviderServices;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Tests;

/// <summary>An upload killed between its blobs and its metadata leaves blobs no photo refers to; after the grace period the job runner
/// deletes them, and never a committed photo's, on local disk and on S3.</summary>
public sealed class OrphanCollectionTests
{
    [Fact]
    public Task Blobs_of_a_killed_upload_are_collected_on_local_disk() => CollectAsync(null);

    [Fact]
    public async Task Blobs_of_a_killed_upload_are_collected_on_s3()
    {
        using var s3 = S3Server.Start();
        await CollectAsync(s3);
    }

    private static async Task CollectAsync(S3Server? s3)
    {
        using var folder = new TemporaryDirectory();
        var bucket = s3 is null ? null : await s3.NewBucketAsync();
        var (owner, kept, orphan) = await RunKilledUploadAsync(s3 is null ? ["orphan", folder.Path] : ["orphan", folder.Path, s3.ServiceUrl, bucket!]);

        using var host = new TestHost(folder.Path, providers: s3 is null ? null : b => b.AddS3BlobStore(o =>
            (o.ServiceUrl, o.Bucket, o.AccessKey, o.SecretKey, o.ForcePathStyle) = (s3.ServiceUrl, bucket!, s3.AccessKey, s3.SecretKey, true)));
        var blobs = host.Get<IBlobStore>();
        var original = BlobKeys.ForRendition(owner, orphan, RenditionKind.Original);
        Assert.True(await blobs.ExistsAsync(original)); // what the crash left
        Assert.Null(await host.Get<IPhotoStore>().GetAsync(orphan));

        await host.Jobs.RunDueAsync();
        Assert.True(await blobs.ExistsAsync(original)); // still within the grace period: it could be an upload in progress
        host.Clock.Now += TimeSpan.FromMinutes(61);
        await host.Jobs.RunDueAsync();
        foreach (var kind in Enum.GetValues<RenditionKind>().Where(k => k != RenditionKind.Video)) // photos: no web video rendition
        {
            Assert.False(await blobs.ExistsAsync(BlobKeys.ForRendition(owner, orphan, kind)), $"the orphan's {kind} is still there");
            Assert.True(await blobs.ExistsAsync(BlobKeys.ForRendition(owner, kept, kind)), $"the committed photo's {kind} was deleted");
        }

        // A photo in the trash keeps its blobs too: the check only looks for the photo, live or deleted.
        await host.Service.For(owner).DeletePhotoAsync(kept);
        host.Clock.Now += TimeSpan.FromMinutes(61);
        await host.Jobs.RunDueAsync();
        Assert.True(await blobs.ExistsAsync(BlobKeys.ForRendition(owner, kept, RenditionKind.Original)));
        Assert.Equal(0, (await host.Get<IOutbox>().GetStatsAsync(host.Clock.GetUtcNow())).Pending);
    }

    private static async Task<(UserId Owner, PhotoId Kept, PhotoId Orphan)> RunKilledUploadAsync(string[] args)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "ImageSocial.Tests.CrashHost", "bin",
            new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "ImageSocial.Tests.CrashHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(hostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        UserId? owner = null;
        PhotoId? kept = null, orphan = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var value = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            switch (line.Split(' ')[0])
            {
                case "USER": owner = UserId.Parse(value); break;
                case "ACK": kept = PhotoId.Parse(value); break;
                case "DYING": orphan = PhotoId.Parse(value); break;
            }
        }

        await child.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, child.ExitCode); // killed, not finished
        return (owner!.Value, kept!.Value, orphan!.Value);
    }
}
