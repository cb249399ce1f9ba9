using System.Diagnostics;
using ImageSocial.ConformanceTests;

namespace ImageSocial.Tests;

public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Killed_between_metadata_commit_and_jobs_the_work_completes_after_restart()
    {
        using var folder = new TemporaryDirectory();
        var hostDll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "ImageSocial.Tests.CrashHost", "bin",
            new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "ImageSocial.Tests.CrashHost.dll");
        Assert.True(File.Exists(hostDll), $"crash host not built at {hostDll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { hostDll, folder.Path, "3" })
        {
            start.ArgumentList.Add(arg);
        }

        var acknowledged = new List<PhotoId>();
        UserId? user = null;
        using (var child = Process.Start(start)!)
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
        Assert.Equal(3, await host.Get<IOutbox>().CountPendingAsync());
        Assert.Equal(0, await host.Get<IVectorIndex>().CountAsync());
        Assert.Equal(3, await host.Jobs.RunDueAsync());
        Assert.Equal(0, await host.Get<IOutbox>().CountPendingAsync());
        Assert.Equal(3, await host.Get<IVectorIndex>().CountAsync());
        foreach (var id in acknowledged)
        {
            var photo = await host.Service.GetPhotoAsync(id, user.Value);
            using var thumb = await host.Service.OpenContentAsync(id, RenditionKind.Thumb, user.Value);
            Assert.True(thumb.Length > 0);
            Assert.Contains(id, (await host.Service.FindSimilarAsync(acknowledged.First(a => a != id), user.Value, 5)).Select(s => s.Photo.Id));
            Assert.Equal("crash", Assert.Single(photo.Tags));
        }
    }
}
