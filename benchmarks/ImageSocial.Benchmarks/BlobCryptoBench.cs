using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ImageSocial.Storage.Local;
using Microsoft.Extensions.Options;

namespace ImageSocial.Benchmarks;

/// <summary>Put and get of 200 KB and 20 MB blobs through <see cref="LocalBlobStore"/> with at-rest encryption on and off, on the same disk,
/// interleaved round by round in one run: what encryption costs.</summary>
internal static class BlobCryptoBench
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback;
        var json = Option("--json", "");
        var root = Path.Combine(Path.GetTempPath(), "imagesocial-blob-crypto-" + Guid.NewGuid().ToString("N"));
        try
        {
            var plain = new LocalBlobStore(Options.Create(new LocalBlobStoreOptions { RootPath = Path.Combine(root, "plain") }));
            var sealedOptions = new LocalBlobStoreOptions { RootPath = Path.Combine(root, "encrypted") };
            sealedOptions.Encryption.CurrentKeyId = "bench";
            sealedOptions.Encryption.Keys["bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var encrypted = new LocalBlobStore(Options.Create(sealedOptions));
            var results = new List<object>();
            Console.WriteLine($"{"blob",-8}{"op",-5}{"encrypted MB/s",16}{"plain MB/s",12}{"ratio",8}");
            foreach (var (label, size, rounds) in new[] { ("200 KB", 200 * 1024, int.Parse(Option("--small-rounds", "300"), CultureInfo.InvariantCulture)),
                ("20 MB", 20 * 1024 * 1024, int.Parse(Option("--large-rounds", "15"), CultureInfo.InvariantCulture)) })
            {
                var bytes = new byte[size];
                new Random(size).NextBytes(bytes);
                var times = new Dictionary<string, TimeSpan> { ["encrypted put"] = default, ["encrypted get"] = default, ["plain put"] = default, ["plain get"] = default };
                for (var round = -1; round < rounds; round++)
                {
                    // Alternate who goes first; round -1 warms both up and is not counted.
                    foreach (var who in round % 2 == 0 ? new[] { "encrypted", "plain" } : ["plain", "encrypted"])
                    {
                        var store = who == "plain" ? plain : encrypted;
                        var key = $"bench/{label.Replace(' ', '_')}/{round}";
                        var put = Stopwatch.StartNew();
                        await store.PutAsync(key, bytes, "application/octet-stream");
                        put.Stop();
                        var get = Stopwatch.StartNew();
                        using (var blob = (await store.GetAsync(key))!)
                        {
                            await blob.Content.CopyToAsync(Stream.Null);
                        }

                        get.Stop();
                        if (round >= 0)
                        {
                            times[$"{who} put"] += put.Elapsed;
                            times[$"{who} get"] += get.Elapsed;
                        }
                    }
                }

                foreach (var op in new[] { "put", "get" })
                {
                    double Rate(string who) => rounds * (size / 1048576.0) / times[$"{who} {op}"].TotalSeconds;
                    var (e, p) = (Rate("encrypted"), Rate("plain"));
                    Console.WriteLine($"{label,-8}{op,-5}{e,16:F1}{p,12:F1}{e / p,8:F2}");
                    results.Add(new { blob = label, op, encryptedMBps = Math.Round(e, 1), plainMBps = Math.Round(p, 1), ratio = Math.Round(e / p, 3) });
                }
            }

            if (json.Length > 0)
            {
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { results }, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
