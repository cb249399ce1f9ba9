using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace ImageSocial.Video.FFmpeg;

/// <summary>One run of ffmpeg or ffprobe: no shell (arguments are passed as a list), stdin closed, started at a low priority, bounded in
/// time and output, and killed with everything it started on timeout or cancellation.</summary>
internal static class ToolRun
{
    /// <summary>How much of the tool's error output is kept for messages.</summary>
    private const int ErrorTail = 4096;

    internal sealed record Result(int ExitCode, byte[] Output, string Errors);

    /// <summary>Runs a tool to its end.</summary>
    /// <exception cref="UnsupportedVideoException">The tool cannot be started (not installed).</exception>
    /// <exception cref="VideoDecodeException">It ran past <paramref name="timeout"/> or wrote more than <paramref name="maxOutput"/> bytes.</exception>
    internal static async Task<Result> RunAsync(string tool, IReadOnlyList<string> arguments, int niceness, TimeSpan timeout, int maxOutput, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // Linux niceness is per thread and inherited at creation: starting through nice(1) lowers every thread ffmpeg will create, where
        // lowering the process after it started would miss the threads it already has.
        if (!OperatingSystem.IsWindows() && niceness > 0 && File.Exists("/usr/bin/nice"))
        {
            start.FileName = "/usr/bin/nice";
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(niceness.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add(tool);
        }
        else
        {
            start.FileName = tool;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new UnsupportedVideoException($"Videos are not accepted here: {tool} cannot be started ({ex.Message}). Install ffmpeg.");
        }

        if (OperatingSystem.IsWindows() && niceness > 0)
        {
            TryLower(process);
        }

        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var overflow = new StrongBox<bool>();
        var output = ReadBoundedAsync(process.StandardOutput.BaseStream, maxOutput, overflow, limit);
        var errors = ReadTailAsync(process.StandardError, limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            var bytes = await output.ConfigureAwait(false);
            return new Result(process.ExitCode, bytes, await errors.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw overflow.Value
                ? new VideoDecodeException($"{Path.GetFileName(tool)} wrote more than {maxOutput} bytes and was stopped.")
                : new VideoDecodeException($"{Path.GetFileName(tool)} ran past its limit of {timeout.TotalSeconds:0} seconds and was stopped.");
        }
        finally
        {
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It exited meanwhile.
        }
    }

    private static void TryLower(Process process)
    {
        try
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It exited already, or the platform refuses: it runs at normal priority.
        }
    }

    /// <summary>Reads all of a stream, cancelling the run (and noting why) when it passes <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]> ReadBoundedAsync(Stream stream, int max, StrongBox<bool> overflow, CancellationTokenSource limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, limit.Token).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                overflow.Value = true;
                await limit.CancelAsync().ConfigureAwait(false);
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<string> ReadTailAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var tail = new StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            tail.Append(chunk, 0, read);
            if (tail.Length > 2 * ErrorTail)
            {
                tail.Remove(0, tail.Length - ErrorTail);
            }
        }

        return tail.Length > ErrorTail ? tail.ToString(tail.Length - ErrorTail, ErrorTail) : tail.ToString();
    }
}
