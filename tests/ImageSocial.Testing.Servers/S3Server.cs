using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImageSocial.Testing.Servers;

/// <summary>A real S3-compatible server (the npm package <c>s3rver</c>, run by the machine's Node.js) on a loopback port, in its own data
/// folder, stopped by PID; or, when <c>IMAGESOCIAL_TEST_S3</c> names an endpoint, that server (with <c>IMAGESOCIAL_TEST_S3_ACCESS_KEY</c>
/// and <c>IMAGESOCIAL_TEST_S3_SECRET_KEY</c>, default s3rver's <c>S3RVER</c>).</summary>
/// <remarks><c>./build.sh test</c> installs s3rver under <c>~/.cache/imagesocial/s3rver</c>; <c>IMAGESOCIAL_S3RVER</c> may name another
/// copy of its <c>bin/s3rver.js</c>.</remarks>
public sealed class S3Server : IDisposable
{
    private const string Install = "npm install --prefix ~/.cache/imagesocial/s3rver s3rver@3.7.1 (./build.sh test does it)";
    private static int buckets;
    private readonly Process? process;
    private readonly string? folder;

    private S3Server(string serviceUrl, string accessKey, string secretKey, Process? process, string? folder)
    {
        (ServiceUrl, AccessKey, SecretKey, this.process, this.folder) = (serviceUrl, accessKey, secretKey, process, folder);
    }

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:4568</c>.</summary>
    public string ServiceUrl { get; }

    /// <summary>The access key the server accepts.</summary>
    public string AccessKey { get; }

    /// <summary>Its secret.</summary>
    public string SecretKey { get; }

    /// <summary>The server's process id, when this fixture started it.</summary>
    public int? ProcessId => process?.Id;

    /// <summary>Starts s3rver on a free loopback port, or uses the server <c>IMAGESOCIAL_TEST_S3</c> names.</summary>
    public static S3Server Start()
    {
        if (Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_S3") is { Length: > 0 } external)
        {
            return new S3Server(external, Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_S3_ACCESS_KEY") ?? "S3RVER",
                Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_S3_SECRET_KEY") ?? "S3RVER", null, null);
        }

        var script = Environment.GetEnvironmentVariable("IMAGESOCIAL_S3RVER") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "imagesocial", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed at {script}: {Install}.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "imagesocial-s3-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", folder, "--silent" })
        {
            start.ArgumentList.Add(arg);
        }

        // s3rver's continuation tokens use a cipher that Node 17+ only offers with the legacy provider.
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        Process started;
        try
        {
            started = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Node.js is not installed (apt-get install nodejs npm), needed by s3rver: {ex.Message}", ex);
        }

        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        var server = new S3Server($"http://127.0.0.1:{port}", "S3RVER", "S3RVER", started, folder);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Listening(port))
        {
            if (started.HasExited || DateTime.UtcNow > deadline)
            {
                server.Dispose();
                throw new InvalidOperationException($"s3rver did not start on port {port}.");
            }

            Thread.Sleep(100);
        }

        return server;
    }

    /// <summary>A client for this server with the settings the provider uses (path style, checksums only where required).</summary>
    public AmazonS3Client Client() => new(AccessKey, SecretKey, new AmazonS3Config
    {
        ServiceURL = ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Creates a new, empty bucket with a unique name.</summary>
    public async Task<string> NewBucketAsync()
    {
        var name = $"b{Interlocked.Increment(ref buckets)}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        using var client = Client();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>Kills the server at once (as a crash would); a later <see cref="Start"/> makes a new one.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        process?.Dispose();
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var socket = new TcpClient();
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
