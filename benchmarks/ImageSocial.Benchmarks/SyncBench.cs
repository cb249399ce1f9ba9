using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.Storage.Postgres;
using ImageSocial.Testing.Servers;
using ImageSocial.Vectors.Embedded;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Benchmarks;

/// <summary>Two hosts on one PostgreSQL server and one blob folder: how long after an upload is acknowledged on host A its photo is in
/// host B's vector index (B runs no jobs; it follows the store's change feed), and how fast an empty index is rebuilt from the stored
/// embeddings against embedding every photo again.</summary>
/// <remarks>The hosts are SDK instances in this process, each with its own vector index folder; B's catch-up polls every 100 ms.</remarks>
internal static class SyncBench
{
    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback;
        var uploads = int.Parse(Option("--uploads", "200"), CultureInfo.InvariantCulture);
        var photos = int.Parse(Option("--photos", "1000"), CultureInfo.InvariantCulture);
        var json = Option("--json", "");
        using var postgres = PostgresServer.StartPrimary();
        var data = Directory.CreateTempSubdirectory("imagesocial-sync-bench-").FullName;
        try
        {
            var images = Thumbs.GenerateJpegs(48, 640, 480);
            await using var a = Host(postgres, data, "a", jobs: true);
            await using var b = Host(postgres, data, "b", jobs: false);
            var sdkA = a.GetRequiredService<ImageSocialService>();
            var sdkB = b.GetRequiredService<ImageSocialService>();
            await sdkA.Jobs.StartAsync(CancellationToken.None);
            await sdkB.Index.StartAsync(CancellationToken.None);
            var owner = (await sdkA.CreateUserAsync("syncbench", "Sync bench")).Id;
            var indexB = b.GetRequiredService<IVectorIndex>();

            // Delay: one upload at a time on A, then wait until B's index holds it.
            Console.WriteLine($"catch-up delay: {uploads} uploads on host A, each waited for in host B's index (B polls the feed every 100 ms)");
            var delays = new List<double>();
            for (var i = 0; i < uploads; i++)
            {
                var photo = await sdkA.For(owner).UploadPhotoAsync(images[i % images.Length], new PhotoDraft($"sync {i}"));
                var acknowledged = Stopwatch.GetTimestamp();
                while (await indexB.GetAsync(photo.Id.Value) is null)
                {
                    await Task.Delay(5);
                }

                delays.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
            }

            var sorted = delays.Order().ToArray();
            var (p50, p99) = (Load.Percentile(sorted, 0.5), Load.Percentile(sorted, 0.99));
            Console.WriteLine($"upload acknowledged on A → in B's index: p50 {p50:F0} ms, p99 {p99:F0} ms, max {sorted[^1]:F0} ms");

            // Rebuild: fill the store up to `photos`, then load an empty index from the stored vectors vs embed every photo again.
            Console.WriteLine($"rebuild: {photos} photos");
            await Parallel.ForEachAsync(Enumerable.Range(uploads, Math.Max(0, photos - uploads)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
                await sdkA.For(owner).UploadPhotoAsync(images[i % images.Length], new PhotoDraft($"sync {i}"), ct));
            await sdkA.Jobs.WaitUntilIdleAsync();

            await using var rebuilt = Host(postgres, data, "rebuilt", jobs: false);
            var report = await rebuilt.GetRequiredService<ImageSocialService>().Index.RebuildAsync();
            var rebuildRate = report.Vectors / report.Elapsed.TotalSeconds;
            Console.WriteLine($"from stored embeddings: {report.Vectors} vectors in {report.Elapsed.TotalSeconds:F2} s ({rebuildRate:F0} vectors/s)");

            await using var reembedded = Host(postgres, data, "reembedded", jobs: false);
            var reembed = await ReembedAsync(reembedded);
            var reembedRate = reembed.Count / reembed.Seconds;
            Console.WriteLine($"embedding again (read the large rendition, embed in batches of 32, upsert): {reembed.Count} vectors in {reembed.Seconds:F2} s ({reembedRate:F0} vectors/s)");
            Console.WriteLine($"ratio (stored / embedding again): {rebuildRate / reembedRate:F1}");
            if (json.Length > 0)
            {
                await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
                {
                    uploads, delayP50Ms = Math.Round(p50, 1), delayP99Ms = Math.Round(p99, 1), delayMaxMs = Math.Round(sorted[^1], 1),
                    photos = report.Vectors, rebuildPerSecond = Math.Round(rebuildRate, 1), reembedPerSecond = Math.Round(reembedRate, 1), ratio = Math.Round(rebuildRate / reembedRate, 2),
                }, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>What the index would cost without stored vectors: every photo's large rendition read and embedded by the engine.</summary>
    private static async Task<(int Count, double Seconds)> ReembedAsync(ServiceProvider host)
    {
        var photos = host.GetRequiredService<IPhotoStore>();
        var blobs = host.GetRequiredService<IBlobStore>();
        var engine = host.GetRequiredService<IEmbeddingEngine>();
        var index = host.GetRequiredService<IVectorIndex>();
        var watch = Stopwatch.StartNew();
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await photos.ListAllLiveAsync(new PageRequest(cursor, 32));
            var bytes = await Task.WhenAll(page.Items.Select(async p =>
            {
                using var content = (await blobs.GetAsync(ProviderServices.BlobKeys.ForRendition(p.OwnerId, p.Id, RenditionKind.Large)))!;
                using var buffer = new MemoryStream();
                await content.Content.CopyToAsync(buffer);
                return (ReadOnlyMemory<byte>)buffer.ToArray();
            }));
            var vectors = await engine.EmbedAsync(bytes);
            await index.UpsertAsync(page.Items.Select((p, i) => new VectorRecord(p.Id.Value, vectors[i], new VectorPayload(p.OwnerId, p.Visibility, false, p.CreatedAt, p.Tags))).ToList());
            count += page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return (count, watch.Elapsed.TotalSeconds);
    }

    private static ServiceProvider Host(PostgresServer postgres, string data, string name, bool jobs)
    {
        var services = new ServiceCollection();
        services.AddImageSocial(o =>
        {
            (o.Jobs.Enabled, o.Jobs.AutoStart, o.Jobs.Name) = (jobs, jobs, name);
            o.IndexSync.PollInterval = TimeSpan.FromMilliseconds(100);
        })
            .AddPostgresMetadata(o => o.Servers.Add(new PostgresServerOptions { Name = "pg", ConnectionString = postgres.ConnectionString() }))
            .AddEmbeddedDefaults(Path.Combine(data, name));
        services.Configure<Storage.Local.LocalBlobStoreOptions>(o => o.RootPath = Path.Combine(data, "blobs"));
        services.Configure<EmbeddedVectorIndexOptions>(o => o.Directory = Path.Combine(data, name, "vectors"));
        return services.BuildServiceProvider();
    }
}
