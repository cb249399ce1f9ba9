using System.Diagnostics;
using System.Globalization;
using ImageSocial.Imaging.Vips;

namespace ImageSocial.Benchmarks;

internal static class Thumbs
{
    public static async Task<int> RunAsync(Dictionary<string, string> options)
    {
        var dir = Path.GetFullPath(options.GetValueOrDefault("--images", "bench-images"));
        var count = int.Parse(options.GetValueOrDefault("--count", "8"), CultureInfo.InvariantCulture);
        Directory.CreateDirectory(dir);
        var files = Directory.GetFiles(dir, "*.jpg").Order().ToArray();
        if (files.Length == 0)
        {
            Console.WriteLine($"generating {count} 4000x3000 JPEGs in {dir}");
            for (var i = 0; i < count; i++)
            {
                GenerateJpeg(Path.Combine(dir, $"img{i:D3}.jpg"), 4000, 3000, mean: 100 + (i * 10), sigma: 40, quality: 90);
                Console.WriteLine($"  img{i:D3}.jpg");
            }

            files = Directory.GetFiles(dir, "*.jpg").Order().ToArray();
        }

        var codec = new VipsImageCodec();
        var images = files.Select(File.ReadAllBytes).ToArray();
        codec.CreateRenditions(images[0], RenditionSpec.Standard);
        var renditions = images.Length * RenditionSpec.Standard.Count;

        Console.WriteLine($"ours: {images.Length} images x {RenditionSpec.Standard.Count} renditions");
        var ours = Stopwatch.StartNew();
        foreach (var image in images)
        {
            codec.CreateRenditions(image, RenditionSpec.Standard);
        }

        ours.Stop();
        Console.WriteLine("vipsthumbnail: the same sizes, one pass per size");
        var output = Directory.CreateTempSubdirectory("vipsthumbnail-").FullName;
        var peer = Stopwatch.StartNew();
        foreach (var (size, crop, name) in new[] { ("150", true, "thumb"), ("640", false, "feed"), ("1080", false, "large") })
        {
            var arguments = new List<string>(files) { "-s", size, "-o", Path.Combine(output, $"%s_{name}.jpg[Q=82,strip]") };
            if (crop)
            {
                arguments.AddRange(["-c"]);
            }

            Run("vipsthumbnail", [.. arguments]);
        }

        peer.Stop();
        Directory.Delete(output, recursive: true);
        var a = renditions / ours.Elapsed.TotalSeconds;
        var b = renditions / peer.Elapsed.TotalSeconds;
        Console.WriteLine($"{"",-16}{"renditions/s",14}");
        Console.WriteLine($"{"ours",-16}{a,14:F1}");
        Console.WriteLine($"{"vipsthumbnail",-16}{b,14:F1}");
        Console.WriteLine($"ratio (ours / vipsthumbnail): {a / b:F2}");
        if (options.TryGetValue("--json", out var json))
        {
            await File.WriteAllTextAsync(json, string.Create(CultureInfo.InvariantCulture,
                $"{{\"oursPerSecond\": {a:F3}, \"vipsthumbnailPerSecond\": {b:F3}, \"ratio\": {a / b:F4}}}\n"));
        }

        return 0;
    }

    /// <summary>Photo-like JPEGs in memory, generated through a temporary folder that is removed afterwards.</summary>
    internal static byte[][] GenerateJpegs(int count, int width, int height)
    {
        var folder = Directory.CreateTempSubdirectory("imagesocial-bench-images-").FullName;
        try
        {
            return Enumerable.Range(0, count).Select(i =>
            {
                var path = Path.Combine(folder, $"{i}.jpg");
                GenerateJpeg(path, width, height, mean: 60 + (i * 3), sigma: 20 + i, quality: 85);
                return File.ReadAllBytes(path);
            }).ToArray();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes a photo-like JPEG with the vips CLI: blurred Gaussian noise, closer to a photo's entropy than raw noise.</summary>
    internal static void GenerateJpeg(string path, int width, int height, int mean, int sigma, int quality)
    {
        string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        var noise = path + ".noise.v";
        var blurred = path + ".blur.v";
        Run("vips", "gaussnoise", noise, Text(width), Text(height), "--mean", Text(mean), "--sigma", Text(sigma));
        Run("vips", "gaussblur", noise, blurred, "2");
        Run("vips", "colourspace", blurred, noise, "srgb");
        Run("vips", "jpegsave", noise, path, "--Q", Text(quality));
        File.Delete(noise);
        File.Delete(blurred);
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}");
        }
    }
}
