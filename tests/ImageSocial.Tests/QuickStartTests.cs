using System.Diagnostics;
using ImageSocial.ConformanceTests;
using ImageSocial.Imaging.Vips.Tests;

namespace ImageSocial.Tests;

/// <summary>The README's quick start is the compiled sample <c>samples/ImageSocial.QuickStart</c>: the README shows exactly its code,
/// and it runs as a new user would run it, as a console app with no host.</summary>
public sealed class QuickStartTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    [Fact]
    public void The_readme_shows_the_sample_word_for_word()
    {
        var sample = Between(File.ReadAllLines(Path.Combine(Root, "samples", "ImageSocial.QuickStart", "Program.cs")), "// <quick-start>", "// </quick-start>");
        var readme = Between(File.ReadAllLines(Path.Combine(Root, "README.md")), "<!-- quick-start -->", "<!-- /quick-start -->");
        Assert.Equal("```csharp", readme[0]);
        Assert.Equal("```", readme[^1]);
        Assert.Equal(sample, readme[1..^1]);
    }

    [Fact]
    public async Task The_sample_runs_as_written_and_finds_what_it_promises()
    {
        using var folder = new TemporaryDirectory();
        var pier = Path.Combine(folder.Path, "pier.jpg");
        var harbour = Path.Combine(folder.Path, "harbour.jpg");
        await File.WriteAllBytesAsync(pier, TestImages.Encode(320, 240, "jpeg", (x, y) => ((byte)(x / 2), (byte)(y / 2), 90)));
        await File.WriteAllBytesAsync(harbour, TestImages.Encode(320, 240, "jpeg", (x, y) => ((byte)(x / 2 + 10), (byte)(y / 2), 80)));
        var dll = Path.Combine(Root, "samples", "ImageSocial.QuickStart", "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name,
            "net10.0", "ImageSocial.QuickStart.dll");
        Assert.True(File.Exists(dll), $"the quick start is not built at {dll}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "pier.jpg", "harbour.jpg" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}");
        Assert.Matches(@"^feed 2, search 1, similar 1, thumbnail [1-9]\d* bytes$", (await output).Trim());
        Assert.True(File.Exists(Path.Combine(folder.Path, "data", "imagesocial.db"))); // ./data, where it was started
    }

    private static string[] Between(string[] lines, string open, string close)
    {
        var from = Array.FindIndex(lines, l => l.Trim() == open);
        var to = Array.FindIndex(lines, from + 1, l => l.Trim() == close);
        Assert.True(from >= 0 && to > from, $"markers {open} … {close} not found");
        return lines[(from + 1)..to];
    }
}
