using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.Embeddings;
using ImageSocial.Imaging.Vips;

namespace ImageSocial.Benchmarks;

/// <summary><c>embed-fixed --model M.onnx --dynamic D.onnx --images DIR [--callers 16] [--seconds 10] [--json OUT]</c>: a model whose
/// batch dimension is fixed at 1 (ResNet-18's export) served to many concurrent callers, three ways in one run: one run at a time, single
/// image runs side by side (the engine's default for such a model), and a copy of the model with a symbolic batch dimension
/// (benchmarks/make_dynamic_batch.py) batched as usual. End to end: decode, preprocess, infer.</summary>
internal static class EmbedFixedBatch
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        var (model, dynamic) = (options.One("--model", ""), options.One("--dynamic", ""));
        var callers = int.Parse(options.One("--callers", "16"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(options.One("--seconds", "10"), CultureInfo.InvariantCulture);
        if (!File.Exists(model) || !File.Exists(dynamic))
        {
            Console.Error.WriteLine("usage: embed-fixed --model M.onnx --dynamic D.onnx --images DIR [--callers 16] [--seconds 10] [--json OUT]");
            return 2;
        }

        var images = Embed.LoadImages(Path.GetFullPath(options.One("--images", "bench-embed-images")));
        var runtime = new OnnxRuntimeOptions { AllowSpinning = false };
        var results = new Dictionary<string, double>();
        foreach (var (name, file, batching) in new (string, string, EmbeddingBatchOptions)[]
        {
            ("fixed batch 1, one run at a time", model, new() { ConcurrentRuns = 1 }),
            ("fixed batch 1, runs side by side (default)", model, new()),
            ("symbolic batch, batches of up to 16", dynamic, new() { MaxBatch = 16 }),
        })
        {
            using var session = OnnxSession.FromFile(file, runtime);
            await using var engine = new OnnxEmbeddingEngine(new VipsImageCodec(), session, EmbeddingModel.ResNet18, batching);
            await engine.EmbedAsync(images.Take(callers).ToList());
            var clock = Stopwatch.StartNew();
            var embedded = 0;
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                for (var i = c; clock.Elapsed.TotalSeconds < seconds; i += callers)
                {
                    await engine.EmbedAsync([images[i % images.Count]]);
                    Interlocked.Increment(ref embedded);
                }
            })));
            results[name] = embedded / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"  {name,-45} {results[name],7:F1} images/s ({callers} callers, one image each)");
        }

        if (options.TryGetValue("--json", out var json) && json.Count > 0)
        {
            await File.WriteAllTextAsync(json[0], JsonSerializer.Serialize(results));
        }

        return 0;
    }
}
