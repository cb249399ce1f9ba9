using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.Testing.Servers;
using ImageSocial.Video.FFmpeg;
using Microsoft.Extensions.Options;

namespace ImageSocial.Benchmarks;

/// <summary>Web-rendition throughput (seconds of source per second) of our pipeline step (the job's staging copy of the original, then
/// <see cref="FFmpegVideoProcessor.WriteWebRenditionAsync"/>: nice, whitelists, time limit) against the <c>ffmpeg</c> command line with the
/// identical encoding arguments on the same clips, interleaved round by round in one run; and the poster-frame time per clip.</summary>
internal static class VideoBench
{
    private static readonly string[] Names = ["mp4.mp4", "mov.mov", "webm.webm", "ogg.ogv", "3gp.3gp", "flv.flv", "asf.asf", "rmvb.rmvb", "mkv.mkv", "vtest.avi"];

    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback;
        var rounds = int.Parse(Option("--rounds", "3"), CultureInfo.InvariantCulture);
        var json = Option("--json", "");
        var folder = Option("--clips", Clips.Folder);
        using var processor = new FFmpegVideoProcessor(Options.Create(new FFmpegOptions()));
        var work = Directory.CreateTempSubdirectory("imagesocial-video-bench-").FullName;
        try
        {
            var clips = new List<(string Name, string Path, VideoInfo Facts)>();
            foreach (var name in Names)
            {
                var path = Path.Combine(folder, name);
                clips.Add((name, path, await processor.ProbeAsync(path)));
            }

            var sourceSeconds = clips.Sum(c => c.Facts.DurationMs) / 1000.0;
            var (ours, cli) = (TimeSpan.Zero, TimeSpan.Zero);
            var posters = clips.ToDictionary(c => c.Name, _ => new List<double>());
            Console.WriteLine($"{clips.Count} clips, {sourceSeconds:F1} s of source per round, {rounds} rounds (+1 warm-up), long edge 720, libx264 veryfast CRF 23");
            for (var round = -1; round < rounds; round++)
            {
                // Alternate who goes first in each clip, so neither always meets a warm page cache; round -1 warms up and is not counted.
                foreach (var (name, path, facts) in clips)
                {
                    foreach (var who in (round + name.Length) % 2 == 0 ? new[] { "ours", "cli" } : ["cli", "ours"])
                    {
                        var output = Path.Combine(work, $"{who}.mp4");
                        var clock = Stopwatch.StartNew();
                        if (who == "ours")
                        {
                            var staged = Path.Combine(work, "staged.upload");
                            await using (var from = File.OpenRead(path))
                            await using (var to = File.Create(staged))
                            {
                                await from.CopyToAsync(to);
                            }

                            await processor.WriteWebRenditionAsync(staged, facts, output, 720);
                        }
                        else
                        {
                            RunCli(processor.WebRenditionArguments(path, facts, output, 720, FFmpegVideoProcessor.IsWebPlayable(facts, 720)));
                        }

                        clock.Stop();
                        if (round >= 0)
                        {
                            if (who == "ours")
                            {
                                ours += clock.Elapsed;
                            }
                            else
                            {
                                cli += clock.Elapsed;
                            }
                        }
                    }

                    var poster = Stopwatch.StartNew();
                    await processor.ExtractPosterAsync(path, facts);
                    if (round >= 0)
                    {
                        posters[name].Add(poster.Elapsed.TotalMilliseconds);
                    }
                }
            }

            var oursRate = sourceSeconds * rounds / ours.TotalSeconds;
            var cliRate = sourceSeconds * rounds / cli.TotalSeconds;
            Console.WriteLine($"web rendition: ours {oursRate:F2} s of source/s, ffmpeg CLI {cliRate:F2} s/s, ratio {oursRate / cliRate:F3}");
            Console.WriteLine($"{"clip",-12}{"seconds",9}{"poster ms (median)",20}");
            foreach (var (name, _, facts) in clips)
            {
                Console.WriteLine($"{name,-12}{facts.DurationMs / 1000.0,9:F1}{Median(posters[name]),20:F0}");
            }

            if (json.Length > 0)
            {
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
                {
                    rounds,
                    sourceSecondsPerRound = Math.Round(sourceSeconds, 2),
                    oursSourceSecondsPerSecond = Math.Round(oursRate, 3),
                    cliSourceSecondsPerSecond = Math.Round(cliRate, 3),
                    ratio = Math.Round(oursRate / cliRate, 3),
                    posterMedianMs = clips.ToDictionary(c => c.Name, c => Math.Round(Median(posters[c.Name]), 1)),
                }, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The peer: ffmpeg started directly (normal priority, no staging copy), with the same arguments.</summary>
    private static void RunCli(string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg failed: " + errors);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
