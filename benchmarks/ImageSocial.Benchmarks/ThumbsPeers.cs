using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.Imaging.Vips;
using ImageSocial.Testing.Servers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using IS = SixLabors.ImageSharp;

namespace ImageSocial.Benchmarks;

/// <summary><c>thumbs-peers [--images DIR] [--concurrency 2] [--json OUT]</c>: the SDK's three renditions (150 square, 640, 1080; JPEG
/// quality 82, metadata stripped) of the same photos (by default the real ones of tools/real-photos.sh) by ours, sharp 0.35 (libvips 8.18;
/// decoding once to 1080 and deriving the rest, and one pipeline per size) and SixLabors.ImageSharp 2.1.13, each with the same number of
/// photos in flight, in one run.</summary>
internal static class ThumbsPeers
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        var dir = Path.GetFullPath(options.One("--images", Path.Combine(RealPhotos.Folder, "photos")));
        var concurrency = int.Parse(options.One("--concurrency", "2"), CultureInfo.InvariantCulture);
        var images = Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var renditions = images.Length * RenditionSpec.Standard.Count;
        Console.WriteLine($"{images.Length} JPEGs from {dir} ({images.Sum(i => i.Length) / 1e6:F1} MB), 3 renditions each, {concurrency} photos at a time");

        var codec = new VipsImageCodec();
        codec.CreateRenditions(images[0], RenditionSpec.Standard);
        var results = new Dictionary<string, double>
        {
            ["ours"] = renditions / Time(images, concurrency, image => codec.CreateRenditions(image, RenditionSpec.Standard)),
            ["sharp (decode once, derive)"] = Sharp(dir, concurrency, "once"),
            ["sharp (one pipeline per size)"] = Sharp(dir, concurrency, "per-size"),
            ["ImageSharp 2.1.13"] = renditions / Time(images, concurrency, ImageSharpRenditions),
        };
        foreach (var (name, perSecond) in results)
        {
            Console.WriteLine($"  {name,-32} {perSecond,7:F1} renditions/s");
        }

        var bestSharp = Math.Max(results["sharp (decode once, derive)"], results["sharp (one pipeline per size)"]);
        Console.WriteLine($"ours / sharp's best: {results["ours"] / bestSharp:F2} (goal >= 1.5); ours / ImageSharp: {results["ours"] / results["ImageSharp 2.1.13"]:F2} (goal >= 5)");
        if (options.TryGetValue("--json", out var json) && json.Count > 0)
        {
            await File.WriteAllTextAsync(json[0], JsonSerializer.Serialize(new { images = images.Length, concurrency, renditionsPerSecond = results }));
        }

        return 0;
    }

    private static double Time(byte[][] images, int concurrency, Action<byte[]> work)
    {
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(images, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, work);
        return clock.Elapsed.TotalSeconds;
    }

    private static void ImageSharpRenditions(byte[] data)
    {
        using var image = IS.Image.Load(data);
        image.Mutate(x => x.AutoOrient().Resize(new ResizeOptions { Size = new(1080, 1080), Mode = SixLabors.ImageSharp.Processing.ResizeMode.Max }));
        image.Metadata.ExifProfile = null;
        var encoder = new IS.Formats.Jpeg.JpegEncoder { Quality = 82 };
        using var large = new MemoryStream();
        image.SaveAsJpeg(large, encoder);
        using var feed = image.Clone(x => x.Resize(new ResizeOptions { Size = new(640, 640), Mode = SixLabors.ImageSharp.Processing.ResizeMode.Max }));
        using var feedBytes = new MemoryStream();
        feed.SaveAsJpeg(feedBytes, encoder);
        using var thumb = image.Clone(x => x.Resize(new ResizeOptions { Size = new(150, 150), Mode = SixLabors.ImageSharp.Processing.ResizeMode.Crop }));
        using var thumbBytes = new MemoryStream();
        thumb.SaveAsJpeg(thumbBytes, encoder);
    }

    private static double Sharp(string dir, int concurrency, string mode) =>
        NodePeer.Run("thumbs-sharp.mjs", "renditionsPerSecond", dir, concurrency.ToString(CultureInfo.InvariantCulture), mode);
}
