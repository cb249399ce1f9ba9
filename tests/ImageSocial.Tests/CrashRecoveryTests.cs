using System.Diagnostics;
using ImageSocial.ConformanceTests;

namespace ImageSocial.Tests;

public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Killed_between_metadata_commit_and_jobs_the_work_completes_after_restart()
    {
        using var folder = new TemporaryDirectory();
        var acknowledged = new List<PhotoId>();
        UserId? user = null;
        using (var child = StartCrashHost(folder.Path, "3"))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line && line != "DONE")
            {
                if (line.StartsWith("USER ", StringComparison.Ordinal))
                {
                    user = UserId.Parse(line[5..]);
                }
                else if (line.StartsWith("ACK ", StringComparison.Ordinal))
                {
                    acknowledged.Add(PhotoId.Parse(line[4..]));
                }
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        Assert.NotNull(user);
        Assert.Equal(3, acknowledged.Count);
        using var host = new TestHost(folder.Path);
        var outbox = host.Get<IOutbox>();
        Assert.Equal(3, (await outbox.GetStatsAsync(host.Clock.GetUtcNow())).Due); // each upload's jobs; its orphan check is due later
        Assert.Equal(0, await host.Get<IVectorIndex>().CountAsync());
        Assert.Equal(3, await host.Jobs.RunDueAsync());
        Assert.Equal(0, (await outbox.GetStatsAsync(host.Clock.GetUtcNow())).Due);
        Assert.Equal(3, await host.Get<IVectorIndex>().CountAsync());
        foreach (var id in acknowledged)
        {
            var photo = await host.Service.For(user.Value).GetPhotoAsync(id);
            using var thumb = await host.Service.For(user.Value).OpenContentAsync(id, RenditionKind.Thumb);
            Assert.True(thumb.Length > 0);
            Assert.Contains(id, (await host.Service.For(user.Value).FindSimilarAsync(acknowledged.First(a => a != id), 5)).Select(s => s.Photo.Id));
            Assert.Equal("crash", Assert.Single(photo.Tags));
        }
    }

    [Fact]
    public async Task Vector_index_killed_during_inserts_keeps_every_acknowledged_vector()
    {
        using var folder = new TemporaryDirectory();
        var log = Path.Combine(folder.Path, "vectors", "index.log");
        var acknowledged = 0L;
        using (var child = StartCrashHost("vectors", log, "400"))
        {
            // Past the graph threshold and several snapshots (one per 64 KiB of log), then killed while it keeps writing.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (acknowledged < 1500 && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                acknowledged = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        Assert.Equal(1500, acknowledged);
        using var index = new ImageSocial.Vectors.Embedded.EmbeddedVectorIndex(Microsoft.Extensions.Options.Options.Create(
            new ImageSocial.Vectors.Embedded.EmbeddedVectorIndexOptions { LogPath = log, Metric = VectorMetric.L2, Hnsw = { ExactScanThreshold = 400 } }));
        Assert.True(await index.CountAsync() >= acknowledged);
        for (var id = 1L; id <= acknowledged; id++)
        {
            var expected = CrashVectors.Record(id);
            var stored = await index.GetAsync(id);
            Assert.NotNull(stored);
            Assert.Equal(expected.Vector.ToArray(), stored.Vector.ToArray());
            if (id % 50 == 0)
            {
                Assert.Equal(id, (await index.SearchAsync(expected.Vector, 1, null))[0].Id);
            }
        }
    }

    private static Process StartCrashHost(params string[] args)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "ImageSocial.Tests.CrashHost", "bin",
            new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "ImageSocial.Tests.CrashHost.dll");
        Assert.True(File.Exists(hostDll), $"crash host not built at {hostDll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(hostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
