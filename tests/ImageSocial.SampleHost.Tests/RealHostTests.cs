using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImageSocial.SampleHost.Tests;

/// <summary>Starts the host the way a user does, with <c>./build.sh run</c>, and runs the README's curl session against it.</summary>
public sealed partial class RealHostTests
{
    [Fact]
    public async Task Readme_curl_session_works_against_build_sh_run()
    {
        var root = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("imagesocial-real-host-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "build.sh"), "run"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["IMAGESOCIAL_DATA"] = Path.Combine(work, "data"), ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" },
        };
        using var host = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        host.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        host.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var deadline = DateTime.UtcNow.AddMinutes(5); // restore and an incremental build come first
            while (!await HealthyAsync(http))
            {
                Assert.False(host.HasExited, "build.sh run exited: " + string.Join('\n', log));
                Assert.True(DateTime.UtcNow < deadline, "The host did not become healthy: " + string.Join('\n', log));
                await Task.Delay(500);
            }

            await File.WriteAllBytesAsync(Path.Combine(work, "photo.jpg"), Api.Image(11, 320, 240));
            var session = CurlSession().Match(await File.ReadAllTextAsync(Path.Combine(root, "README.md")));
            Assert.True(session.Success, "README.md has no curl session between its markers.");
            var script = session.Groups[1].Value.Replace("http://127.0.0.1:5080", $"http://127.0.0.1:{port}", StringComparison.Ordinal);
            var (exit, output) = await RunAsync("bash", ["-euo", "pipefail", "-c", script], work);

            Assert.True(exit == 0, output);
            Assert.Contains("\"username\":\"alice\"", output, StringComparison.Ordinal);
            Assert.Contains("\"title\":\"Sunset at the pier\"", output, StringComparison.Ordinal);
            // The photo, both searches, and the similar query once the background embedding has run.
            Assert.InRange(Regex.Matches(output, "\"tags\":\\[\"sunset\",\"sea\"\\]").Count, 3, 4);
            Assert.Contains("\"score\":", output, StringComparison.Ordinal);
            var thumb = await File.ReadAllBytesAsync(Path.Combine(work, "thumb.jpg"));
            Assert.Equal([0xFF, 0xD8], thumb[..2]);

            // Kestrel enforces the body limits that the in-process server does not: 1 MiB for JSON, the upload limit for uploads.
            using var token = await http.PostAsJsonAsync("/api/auth/token", new { username = "alice", password = "correct horse battery" });
            http.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
            using var bigJson = await http.PostAsJsonAsync("/api/photos/765453658921545728/comments", new { text = new string('x', 2 << 20) });
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bigJson.StatusCode);
            using var bigUpload = await http.PostAsync("/api/photos", Api.Form(new byte[3 << 20]));
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, bigUpload.StatusCode); // read in full, then refused as not an image
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<bool> HealthyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/health");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] args, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && File.Exists(Path.Combine(dir.FullName, "README.md")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with build.sh) is not above the test binaries.");
    }

    [GeneratedRegex("<!-- curl-session -->\\s*```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CurlSession();
}
