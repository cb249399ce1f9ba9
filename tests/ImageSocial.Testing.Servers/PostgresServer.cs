using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace ImageSocial.Testing.Servers;

/// <summary>A real PostgreSQL 15 server from the machine's binaries on a loopback port, in its own data folder, stopped by PID.</summary>
/// <remarks>PostgreSQL refuses to run as root, so under root the server runs as the <c>postgres</c> account (setpriv).</remarks>
public sealed partial class PostgresServer : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    // The same settings on primaries and replicas: a standby needs at least its primary's limits. fsync is off (a killed
    // process loses nothing the kernel has) but commits are synchronous, so an acknowledged commit survives a SIGKILL.
    private static readonly string[] Settings =
    [
        "listen_addresses=127.0.0.1", "fsync=off", "full_page_writes=off", "wal_level=replica", "max_wal_senders=8",
        "max_connections=120", "max_locks_per_transaction=256", "hot_standby=on", "shared_buffers=64MB", "log_min_messages=warning",
    ];

    private readonly string dataDirectory;
    private Process? process;
    private bool keepData;
    private string[] extraSettings = [];

    private PostgresServer(string dataDirectory, int port)
    {
        this.dataDirectory = dataDirectory;
        Port = port;
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The server's process id while it runs.</summary>
    public int? Pid => process is { HasExited: false } p ? p.Id : null;

    /// <summary>A connection string for a database on this server.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=5;Command Timeout=60";

    /// <summary>Creates and starts a fresh primary.</summary>
    public static PostgresServer StartPrimary() => StartPrimary(null);

    /// <summary>Starts a primary in <paramref name="folder"/> (created with initdb when it holds no cluster yet, and kept on
    /// dispose), with extra <c>name=value</c> settings.</summary>
    public static PostgresServer StartPrimary(string? folder, params string[] settings)
    {
        var keep = folder is not null;
        if (folder is not null && !File.Exists(Path.Combine(folder, "PG_VERSION")))
        {
            Directory.CreateDirectory(folder);
            Own(folder);
        }

        var server = new PostgresServer(folder ?? NewFolder(), FreePort()) { keepData = keep, extraSettings = settings };
        if (!File.Exists(Path.Combine(server.dataDirectory, "PG_VERSION")))
        {
            Run("initdb", "-D", server.dataDirectory, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8");
        }

        server.Start();
        return server;
    }

    /// <summary>Clones a primary with pg_basebackup and starts it as a streaming replica.</summary>
    public static PostgresServer StartReplicaOf(PostgresServer primary)
    {
        var folder = NewFolder();
        Directory.Delete(folder);
        Run("pg_basebackup", "-h", "127.0.0.1", "-p", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-D", folder, "-R", "-X", "stream", "--no-sync");
        var replica = new PostgresServer(folder, FreePort());
        replica.Start();
        return replica;
    }

    /// <summary>Starts the server (again) and waits until it accepts connections.</summary>
    public void Start()
    {
        var args = new List<string> { "-D", dataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", dataDirectory };
        foreach (var setting in Settings.Concat(extraSettings))
        {
            args.Add("-c");
            args.Add(setting);
        }

        process = Process.Start(StartInfo("postgres", args)) ?? throw new InvalidOperationException("postgres did not start");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                connection.Open();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
            // The postmaster's children notice their parent died and exit; wait for the port to be free again.
            Thread.Sleep(500);
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops the server with a fast shutdown (SIGINT), by PID.</summary>
    public void Stop()
    {
        if (process is { HasExited: false } p)
        {
            _ = SendSignal(p.Id, 2);
            if (!p.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                p.Kill();
                p.WaitForExit();
            }
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Runs SQL on a database of this server.</summary>
    public void Execute(string sql, string database = "postgres")
    {
        using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Reads one value.</summary>
    public T? Scalar<T>(string sql, string database = "postgres")
    {
        using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        if (keepData)
        {
            return;
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "imagesocial-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        Own(folder);
        return folder;
    }

    private static void Own(string folder)
    {
        if (IsRoot)
        {
            Run("/bin/chown", "postgres:postgres", folder);
            Run("/bin/chmod", "700", folder);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> args)
    {
        var path = program.StartsWith('/') ? program : Path.Combine(Bin, program);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: PostgreSQL 15 is not installed. './build.sh test' installs it (apt-get install postgresql-15).");
        }

        var info = new ProcessStartInfo(IsRoot && !program.StartsWith('/') ? "/usr/bin/setpriv" : path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot && !program.StartsWith('/'))
        {
            foreach (var a in new[] { "--reuid=postgres", "--regid=postgres", "--init-groups", path })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private static void Run(string program, params string[] args)
    {
        using var p = Process.Start(StartInfo(program, args))!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({p.ExitCode}): {error} {output.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
