using System.Diagnostics;

namespace ImageSocial.Testing.Servers;

/// <summary>Runs the machine's command-line tools for the fixtures (vips, ffmpeg, the fetch scripts under <c>tools/</c>).</summary>
internal static class MachineTools
{
    /// <summary>The folder a fetch script fills (the last line it prints), or the one <paramref name="variable"/> names.</summary>
    /// <param name="variable">The environment variable that names a folder already filled (build.sh sets it).</param>
    /// <param name="script">The script's file name under <c>tools/</c>, found above the test's output folder.</param>
    internal static string FolderFrom(string variable, string script)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "tools", script)))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException($"tools/{script} not found above " + AppContext.BaseDirectory);
        }

        return Run("bash", [Path.Combine(root, "tools", script)]).Trim().Split('\n')[^1];
    }

    /// <summary>Runs a program to its end with stdin closed; its standard output, or an error with what it wrote to stderr.</summary>
    internal static string Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {error.Result}");
    }
}
