using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ImageSocial.Testing.Servers;

/// <summary>A real Redis server (Debian's <c>redis-server</c>) on a loopback port, without persistence, stopped by PID; or, when
/// <c>IMAGESOCIAL_TEST_REDIS</c> names one (a StackExchange.Redis configuration string), that server.</summary>
/// <remarks><c>./build.sh test</c> installs the <c>redis-server</c> package. A fixture-started server can be killed and started again
/// empty on the same port (<see cref="Kill"/>, <see cref="Restart"/>) to test the degradation path; an external one cannot.</remarks>
public sealed class RedisServer : IDisposable
{
    private const string Install = "apt-get install redis-server (./build.sh test does it)";
    private static int prefixes;
    private readonly int port;
    private readonly string? folder;
    private Process? process;

    private RedisServer(string configuration, int port, string? folder)
    {
        (Configuration, this.port, this.folder) = (configuration, port, folder);
    }

    /// <summary>The StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6390</c>.</summary>
    public string Configuration { get; }

    /// <summary>Whether this fixture started the server (and so can kill and restart it).</summary>
    public bool IsOwned => folder is not null;

    /// <summary>The server's process id, when this fixture started it and it runs.</summary>
    public int? ProcessId => process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts <c>redis-server</c> on a free loopback port, or uses the server <c>IMAGESOCIAL_TEST_REDIS</c> names.</summary>
    public static RedisServer Start()
    {
        if (Environment.GetEnvironmentVariable("IMAGESOCIAL_TEST_REDIS") is { Length: > 0 } external)
        {
            return new RedisServer(external, 0, null);
        }

        var folder = Path.Combine(Path.GetTempPath(), "imagesocial-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var server = new RedisServer($"127.0.0.1:{port}", port, folder);
        try
        {
            server.Restart();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>A key prefix no other test uses, so tests can share one server.</summary>
    public static string NewPrefix() => $"t{Interlocked.Increment(ref prefixes)}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}:";

    /// <summary>Kills the server at once, as a crash would; everything it held is gone (it keeps nothing on disk).</summary>
    public void Kill()
    {
        if (!IsOwned)
        {
            throw new InvalidOperationException("This fixture did not start the server (IMAGESOCIAL_TEST_REDIS), so it cannot kill it.");
        }

        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>Stops the server without killing it (SIGSTOP): it keeps its data and its connections, and answers nothing, as a network
    /// partition would look to a client.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>Lets a paused server go on (SIGCONT).</summary>
    public void Resume() => Signal("-CONT");

    /// <summary>Starts the server again, empty, on the same port (after <see cref="Kill"/>).</summary>
    public void Restart()
    {
        Kill();
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var arg in new[]
                 {
                     "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", folder!, "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"redis-server is not installed ({Install}): {ex.Message}", ex);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Answers(port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not start on port {port}.");
            }

            Thread.Sleep(50);
        }
    }

    private void Signal(string signal)
    {
        if (process is not { HasExited: false } running)
        {
            throw new InvalidOperationException("This fixture did not start the server, or it is not running.");
        }

        using var kill = Process.Start("kill", [signal, running.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Stops the server and removes its folder.</summary>
    public void Dispose()
    {
        if (IsOwned)
        {
            Kill();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Whether the server answers PING (a port another process binds first does not count).</summary>
    private static bool Answers(int port)
    {
        try
        {
            using var socket = new TcpClient();
            socket.Connect(IPAddress.Loopback, port);
            using var stream = socket.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return read >= 5 && buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
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
