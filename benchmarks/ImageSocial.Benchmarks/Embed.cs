using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.Embeddings;
using ImageSocial.Imaging.Vips;

namespace ImageSocial.Benchmarks;

/// <summary><c>embed --model M.onnx --images DIR --batch 32 [--seconds 10] [--json OUT]</c>: images per second through our ONNX Runtime
/// binding (inference only, on one fixed batch), end to end through <see cref="OnnxEmbeddingEngine"/> (decode, resize, normalize,
/// micro-batch, infer), and onnxruntime-node on the same model and batch size, in one run.</summary>
internal static class Embed
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        var model = Path.GetFullPath(options.One("--model", ""));
        var dir = Path.GetFullPath(options.One("--images", "bench-embed-images"));
        var batch = int.Parse(options.One("--batch", "32"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(options.One("--seconds", "10"), CultureInfo.InvariantCulture);
        if (!File.Exists(model))
        {
            Console.Error.WriteLine("usage: embed --model M.onnx --images DIR --batch 32 [--seconds 10] [--spin on|off] [--json OUT]  (benchmarks/make_resnet.py writes a model)");
            return 2;
        }

        var images = LoadImages(dir);
        // No spinning: the end-to-end run decodes on the same cores, and idle inference threads should leave them to it.
        using var session = OnnxSession.FromFile(model, new OnnxRuntimeOptions { AllowSpinning = options.One("--spin", "off") != "off" });
        var size = session.Inputs[0].Shape[2] > 0 ? (int)session.Inputs[0].Shape[2] : 224;
        var input = new float[batch * 3 * size * size];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)((i * 2654435761L % 2000) / 1000.0 - 1);
        }

        Console.WriteLine($"model {Path.GetFileName(model)} ({size}x{size}), batch {batch}, {images.Count} images, {seconds} s per measurement");
        long[] shape = [batch, 3, size, size];
        for (var i = 0; i < 3; i++)
        {
            session.Run(input, shape);
        }

        var inference = Measure(seconds, () => { session.Run(input, shape); return batch; });
        Console.WriteLine($"  inference only (our binding):        {inference,8:F1} images/s");

        await using var engine = OnnxEmbeddingEngine.FromModel(new VipsImageCodec(), session, "bench", new EmbeddingBatchOptions { MaxBatch = batch });
        await engine.EmbedAsync(images.Take(batch).ToList());
        var clock = Stopwatch.StartNew();
        var embedded = 0;
        var callers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            for (var round = 0; clock.Elapsed.TotalSeconds < seconds; round++)
            {
                var chunk = Enumerable.Range(0, Math.Max(1, batch / 2)).Select(i => images[(c * 7919 + round * batch + i) % images.Count]).ToList();
                await engine.EmbedAsync(chunk);
                Interlocked.Add(ref embedded, chunk.Count);
            }
        })).ToList();
        await Task.WhenAll(callers);
        var endToEnd = embedded / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  end to end (decode + embed, 4 callers): {endToEnd,8:F1} images/s");

        var node = RunNode(model, batch, seconds);
        Console.WriteLine($"  onnxruntime-node, same model and batch: {node,8:F1} images/s");
        Console.WriteLine($"inference / onnxruntime-node: {inference / node:F2} (goal >= 0.95); end to end / inference: {endToEnd / inference:F2} (goal >= 0.8)");
        if (options.TryGetValue("--json", out var json) && json.Count > 0)
        {
            await File.WriteAllTextAsync(json[0], JsonSerializer.Serialize(new { inferencePerSecond = inference, endToEndPerSecond = endToEnd, onnxruntimeNodePerSecond = node }));
        }

        return 0;
    }

    private static double Measure(double seconds, Func<int> step)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            done += step();
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    private static double RunNode(string model, int batch, double seconds) =>
        NodePeer.Run("embed.mjs", "onnxruntimeNodePerSecond", model, batch.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture));

    /// <summary>The JPEGs in DIR; when there are none, 64 generated 1080×810 ones (the size of the SDK's large rendition, which is
    /// what it embeds).</summary>
    internal static List<ReadOnlyMemory<byte>> LoadImages(string dir)
    {
        Directory.CreateDirectory(dir);
        if (Directory.GetFiles(dir, "*.jpg").Length == 0)
        {
            Console.WriteLine($"generating 64 1080x810 JPEGs in {dir}");
            for (var i = 0; i < 64; i++)
            {
                Thumbs.GenerateJpeg(Path.Combine(dir, $"img{i:D3}.jpg"), 1080, 810, mean: 60 + (i * 3), sigma: 50, quality: 85);
            }
        }

        return Directory.GetFiles(dir, "*.jpg").Order().Select(f => (ReadOnlyMemory<byte>)File.ReadAllBytes(f)).ToList();
    }
}
