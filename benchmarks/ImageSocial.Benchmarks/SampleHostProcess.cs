using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ImageSocial.Benchmarks;

/// <summary>The built sample host in its own process on a free loopback port and a fresh data folder, stopped by PID; or a host someone
/// else runs (<see cref="Attach"/>), whose memory is then not sampled.</summary>
internal sealed class SampleHostProcess : IAsyncDisposable
{
    private readonly Process? process;
    private readonly string? data;

    private SampleHostProcess(Uri address, Process? process, string? data) => (Address, this.process, this.data) = (address, process, data);

    public Uri Address { get; }

    public static SampleHostProcess Attach(Uri address) => new(address, null, null);

    public static async Task<SampleHostProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var dll = Path.Combine(root, "samples", "ImageSocial.SampleHost", "bin", "Release", "net10.0", "ImageSocial.SampleHost.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The sample host is not built at {dll}: run ./build.sh bench load.");
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var data = Directory.CreateTempSubdirectory("imagesocial-load-").FullName;
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["IMAGESOCIAL_DATA"] = data;
        start.Environment["RateLimits__AuthPerMinute"] = "1000000";
        start.Environment["RateLimits__UploadsPerMinute"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (Environment.GetEnvironmentVariable("IMAGESOCIAL_LOAD_DUMP") is { Length: > 0 } dump)
        {
            // A full core dump if the host dies (for debugging native crashes): DOTNET's createdump writes an ELF core that gdb reads.
            start.Environment["DOTNET_DbgEnableMiniDump"] = "1";
            start.Environment["DOTNET_DbgMiniDumpType"] = "4";
            start.Environment["DOTNET_DbgMiniDumpName"] = dump;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("host: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new SampleHostProcess(new Uri($"http://127.0.0.1:{port}"), process, data);
        using var probe = new HttpClient { BaseAddress = host.Address };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                if ((await probe.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await host.DisposeAsync();
                throw new InvalidOperationException("The sample host did not start.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The host process's resident memory and thread count, from /proc.</summary>
    public (double RssMiB, int Threads)? Sample()
    {
        if (process is null || process.HasExited)
        {
            return null;
        }

        double rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return (rss, threads);
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (data is not null && Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
