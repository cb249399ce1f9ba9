using System.Diagnostics;
using System.Text.Json;

namespace ImageSocial.Benchmarks;

/// <summary>Runs a peer's script in benchmarks/node (it prints one JSON object) and reads one number from its output.</summary>
internal static class NodePeer
{
    public static double Run(string script, string property, params string[] arguments)
    {
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "node", script));
        using var process = Process.Start(new ProcessStartInfo("node", [path, .. arguments]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        using var result = JsonDocument.Parse(output);
        return result.RootElement.GetProperty(property).GetDouble();
    }
}
