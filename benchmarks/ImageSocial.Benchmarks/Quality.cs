using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Benchmarks;

/// <summary><c>quality [--engines descriptor,resnet18] [--edits DIR] [--json OUT]</c>: how often each engine finds the original first, on real photos
/// (tools/real-photos.sh) and common edits of them, and for real same-scene pairs. The gallery is every photo plus the first of each
/// pair; each query is an edited copy (or the pair's second shot), ranked against the whole gallery by cosine similarity.</summary>
internal static class Quality
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        var engines = options.TryGetValue("--engines", out var e) && e.Count > 0 ? e[0].Split(',') : ["descriptor", "resnet18"];
        var gallery = RealPhotos.Photos.Concat(RealPhotos.Pairs.Select(p => p.A)).ToList();
        // --edits keeps the edited copies in DIR and reuses them on the next run (making them is most of a run's time).
        using var edits = options.TryGetValue("--edits", out var keep) && keep.Count > 0 ? new TemporaryFolder(keep[0]) : new TemporaryFolder(null);
        Console.WriteLine($"{gallery.Count} real photos in the gallery ({RealPhotos.Folder}); making {RealPhotos.Edits.Count} edits of each with vips");
        var queries = new List<(string Kind, int Expected, string File)>();
        for (var i = 0; i < gallery.Count; i++)
        {
            foreach (var edit in RealPhotos.Edits)
            {
                var file = Path.Combine(edits.Path, $"{Path.GetFileName(gallery[i])}.{edit}.jpg");
                if (!File.Exists(file))
                {
                    RealPhotos.Edit(gallery[i], edit, file);
                }

                queries.Add((edit, i, file));
            }
        }

        foreach (var pair in RealPhotos.Pairs)
        {
            queries.Add(("same scene", gallery.IndexOf(pair.A), pair.B));
        }

        var results = new Dictionary<string, object>();
        foreach (var name in engines)
        {
            await using var provider = Engine(name);
            var engine = provider.GetRequiredService<IEmbeddingEngine>();
            var clock = Stopwatch.StartNew();
            var galleryVectors = await engine.EmbedAsync(gallery.Select(f => (ReadOnlyMemory<byte>)File.ReadAllBytes(f)).ToList());
            var queryVectors = await engine.EmbedAsync(queries.Select(q => (ReadOnlyMemory<byte>)File.ReadAllBytes(q.File)).ToList());
            var perSecond = (gallery.Count + queries.Count) / clock.Elapsed.TotalSeconds;
            var byKind = queries.Select((q, i) => (q.Kind, First: Nearest(queryVectors[i], galleryVectors) == q.Expected))
                .GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => (Found: g.Count(r => r.First), Total: g.Count()));
            var edited = byKind.Where(k => k.Key != "same scene").ToList();
            var overall = 100.0 * edited.Sum(k => k.Value.Found) / edited.Sum(k => k.Value.Total);
            Console.WriteLine($"{name} ({engine.ModelId}, {engine.Dimension}-d, {perSecond:F1} images/s here): original first in {overall:F1} % of edited copies");
            foreach (var (kind, (found, total)) in byKind)
            {
                Console.WriteLine($"  {kind,-12} {found,3}/{total,-3} {100.0 * found / total,6:F1} %");
            }

            results[name] = new { modelId = engine.ModelId, overallPercent = overall, imagesPerSecond = perSecond,
                byKind = byKind.ToDictionary(k => k.Key, k => new { found = k.Value.Found, total = k.Value.Total }) };
        }

        if (options.TryGetValue("--json", out var json) && json.Count > 0)
        {
            await File.WriteAllTextAsync(json[0], JsonSerializer.Serialize(new { gallery = gallery.Count, queries = queries.Count, engines = results }));
        }

        return 0;
    }

    private static ServiceProvider Engine(string name)
    {
        var services = new ServiceCollection();
        var builder = services.AddImageSocial().AddVipsImageCodec();
        _ = name switch
        {
            "descriptor" => builder.AddDescriptorEmbeddings(),
            "resnet18" => builder.AddOnnxEmbeddings(o => o.Preset = "resnet18"),
            _ => throw new ArgumentException($"unknown engine {name}; use descriptor or resnet18"),
        };
        return services.BuildServiceProvider();
    }

    private static int Nearest(float[] query, float[][] gallery)
    {
        var best = 0;
        for (var i = 1; i < gallery.Length; i++)
        {
            if (TensorPrimitives.Dot(query, gallery[i]) > TensorPrimitives.Dot(query, gallery[best]))
            {
                best = i;
            }
        }

        return best;
    }

    private sealed class TemporaryFolder(string? kept) : IDisposable
    {
        public string Path { get; } = kept is null ? Directory.CreateTempSubdirectory("imagesocial-quality-").FullName : Directory.CreateDirectory(kept).FullName;

        public void Dispose()
        {
            if (kept is null)
            {
                Directory.Delete(Path, recursive: true);
            }
        }
    }
}
