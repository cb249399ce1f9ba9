using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.S3.Model;
using ImageSocial.Storage.S3;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;

namespace ImageSocial.Benchmarks;

/// <summary>Put and get of 200 KB and 20 MB objects through <see cref="S3BlobStore"/> and through bare <c>AmazonS3Client</c> calls on the
/// same s3rver, interleaved round by round in one run.</summary>
internal static class S3Bench
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback;
        var json = Option("--json", "");
        using var server = S3Server.Start();
        var bucket = await server.NewBucketAsync();
        using var bare = server.Client();
        using var ours = new S3BlobStore(Options.Create(new S3BlobStoreOptions
        {
            ServiceUrl = server.ServiceUrl, Bucket = bucket, AccessKey = server.AccessKey, SecretKey = server.SecretKey, ForcePathStyle = true,
        }));
        var results = new List<object>();
        Console.WriteLine($"{"object",-8}{"op",-5}{"ours obj/s",12}{"ours MB/s",11}{"bare obj/s",12}{"bare MB/s",11}{"ratio",8}");
        foreach (var (label, size, rounds) in new[] { ("200 KB", 200 * 1024, int.Parse(Option("--small-rounds", "200"), CultureInfo.InvariantCulture)),
            ("20 MB", 20 * 1024 * 1024, int.Parse(Option("--large-rounds", "12"), CultureInfo.InvariantCulture)) })
        {
            var bytes = new byte[size];
            new Random(size).NextBytes(bytes);
            var times = new Dictionary<string, TimeSpan> { ["ours put"] = default, ["ours get"] = default, ["bare put"] = default, ["bare get"] = default };
            for (var round = -1; round < rounds; round++)
            {
                // Alternate who goes first, so neither always meets the server warm; round -1 warms both up and is not counted.
                foreach (var who in round % 2 == 0 ? new[] { "ours", "bare" } : ["bare", "ours"])
                {
                    var key = $"bench/{who}/{round}";
                    var put = Stopwatch.StartNew();
                    if (who == "ours")
                    {
                        await ours.PutAsync(key, bytes, "application/octet-stream");
                    }
                    else
                    {
                        await bare.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false });
                    }

                    put.Stop();
                    var get = Stopwatch.StartNew();
                    if (who == "ours")
                    {
                        using var blob = (await ours.GetAsync(key))!;
                        await blob.Content.CopyToAsync(Stream.Null);
                    }
                    else
                    {
                        using var response = await bare.GetObjectAsync(bucket, key);
                        await response.ResponseStream.CopyToAsync(Stream.Null);
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
                double Rate(string who) => rounds / times[$"{who} {op}"].TotalSeconds;
                var (o, b) = (Rate("ours"), Rate("bare"));
                var mb = size / 1048576.0;
                Console.WriteLine($"{label,-8}{op,-5}{o,12:F1}{o * mb,11:F1}{b,12:F1}{b * mb,11:F1}{o / b,8:F2}");
                results.Add(new { @object = label, op, oursPerSecond = Math.Round(o, 2), oursMBps = Math.Round(o * mb, 2), barePerSecond = Math.Round(b, 2), bareMBps = Math.Round(b * mb, 2), ratio = Math.Round(o / b, 3) });
            }
        }

        if (json.Length > 0)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { server = "s3rver 3.7.1 on loopback", results }, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }
}
