using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageSocial.ProviderServices;
using ImageSocial.Storage.Local;
using ImageSocial.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ImageSocial.Benchmarks;

/// <summary>Backup and restore of an embedded deployment (SQLite metadata with a 512-float embedding per photo, four blobs per photo on the
/// local store) against <c>cp -r</c> of the same data folder, in one run, alternating who goes first.</summary>
internal static class BackupBench
{
    // A photo's blobs at the sizes of a small JPEG library: original, large, feed, thumb.
    private static readonly (RenditionKind Kind, int Bytes)[] Renditions = [(RenditionKind.Original, 24_000), (RenditionKind.Large, 12_000), (RenditionKind.Feed, 6_000), (RenditionKind.Thumb, 2_000)];

    private static int Parallelism = 4;

    public static async Task<int> RunAsync(Dictionary<string, List<string>> options)
    {
        string Option(string name, string fallback) => options.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback;
        var photos = int.Parse(Option("--photos", "100000"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option("--rounds", "2"), CultureInfo.InvariantCulture);
        var json = Option("--json", "");
        Parallelism = int.Parse(Option("--parallel", "16"), CultureInfo.InvariantCulture);
        var root = Path.GetFullPath(Option("--dir", Path.Combine(Path.GetTempPath(), "imagesocial-backup-bench")));
        var data = Path.Combine(root, "data");
        if (!File.Exists(Path.Combine(data, "ready")))
        {
            await GenerateAsync(data, photos);
        }

        var bytes = FolderBytes(data);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{photos} photos, {photos * Renditions.Length} blobs, {bytes / 1048576.0:F0} MiB in {data}"));
        var results = new List<object>();
        var times = new Dictionary<string, List<double>> { ["ours backup"] = [], ["ours restore"] = [], ["cp backup"] = [], ["cp restore"] = [] };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var who in round % 2 == 0 ? new[] { "ours", "cp" } : ["cp", "ours"])
            {
                var copy = Path.Combine(root, $"{who}-backup");
                var restored = Path.Combine(root, $"{who}-restored");
                foreach (var folder in new[] { copy, restored }.Where(Directory.Exists))
                {
                    Directory.Delete(folder, recursive: true);
                }

                Sync();
                var backup = Stopwatch.StartNew();
                if (who == "ours")
                {
                    using var metadata = Metadata(data);
                    await DeploymentBackup.BackupAsync(metadata, Blobs(data), new BackupOptions { Repository = copy, Parallelism = Parallelism });
                }
                else
                {
                    Run("cp", "-r", data, copy);
                }

                Sync();
                backup.Stop();
                var restore = Stopwatch.StartNew();
                if (who == "ours")
                {
                    using var metadata = Metadata(restored);
                    await DeploymentBackup.RestoreAsync(metadata, Blobs(restored), new RestoreOptions { Source = copy, Parallelism = Parallelism });
                }
                else
                {
                    Run("cp", "-r", copy, restored);
                }

                Sync();
                restore.Stop();
                times[$"{who} backup"].Add(backup.Elapsed.TotalSeconds);
                times[$"{who} restore"].Add(restore.Elapsed.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round} {who}: backup {backup.Elapsed.TotalSeconds:F1} s, restore {restore.Elapsed.TotalSeconds:F1} s"));
            }
        }

        foreach (var op in new[] { "backup", "restore" })
        {
            var (ours, cp) = (times[$"ours {op}"].Average(), times[$"cp {op}"].Average());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{op,-8} ours {ours,7:F1} s ({bytes / 1048576.0 / ours,6:F1} MB/s)   cp -r {cp,7:F1} s ({bytes / 1048576.0 / cp,6:F1} MB/s)   speed ratio {cp / ours:F2}"));
            results.Add(new { op, oursSeconds = Math.Round(ours, 2), oursMBps = Math.Round(bytes / 1048576.0 / ours, 1), cpSeconds = Math.Round(cp, 2),
                cpMBps = Math.Round(bytes / 1048576.0 / cp, 1), ratio = Math.Round(cp / ours, 3), oursRuns = times[$"ours {op}"], cpRuns = times[$"cp {op}"] });
        }

        if (json.Length > 0)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { photos, blobs = photos * Renditions.Length, bytes, results }, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static SqliteMetadataStore Metadata(string data) =>
        new(Options.Create(new SqliteStoreOptions { DatabasePath = Path.Combine(data, "imagesocial.db") }));

    private static LocalBlobStore Blobs(string data) => new(Options.Create(new LocalBlobStoreOptions { RootPath = Path.Combine(data, "blobs") }));

    /// <summary>Users, photos and embeddings loaded in bulk (the feed benchmark's loader), and each photo's four blobs written as the local store
    /// lays them out (the bytes and a content-type file beside them).</summary>
    private static async Task GenerateAsync(string data, int photos)
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        Console.WriteLine($"generating {photos} photos (once; the folder is kept for later runs)");
        var set = new FeedData(Math.Max(100, photos / 10), 10, photos);
        var database = Path.Combine(data, "imagesocial.db");
        FeedSqliteLoader.Load(database, set);
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO embeddings(photo_id, space, vector) VALUES ($id, 'bench-space', $vector)";
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
            var random = new Random(7);
            var floats = new byte[512 * sizeof(float)];
            foreach (var photo in set.Photos)
            {
                random.NextBytes(floats);
                (id.Value, vector.Value) = (photo.Id, floats);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        var blobs = Path.Combine(data, "blobs");
        var content = new byte[Renditions.Max(b => b.Bytes)];
        new Random(11).NextBytes(content);
        var done = 0;
        await Parallel.ForEachAsync(set.Photos, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (photo, ct) =>
        {
            foreach (var (kind, size) in Renditions)
            {
                var path = Path.Combine(blobs, BlobKeys.ForRendition(new UserId(set.UserIds[photo.Owner]), new PhotoId(photo.Id), kind).Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var bytes = content.AsMemory(0, size).ToArray();
                bytes[0] = (byte)photo.Id; // distinct bytes per blob, so content addressing keeps them all
                BitConverter.TryWriteBytes(bytes.AsSpan(1), photo.Id);
                bytes[9] = (byte)kind;
                await File.WriteAllBytesAsync(path, bytes, ct);
                await File.WriteAllTextAsync(path + ".content-type", "image/jpeg", ct);
            }

            if (Interlocked.Increment(ref done) % 20_000 == 0)
            {
                Console.WriteLine($"  {done} photos' blobs written");
            }
        });
        await File.WriteAllTextAsync(Path.Combine(data, "ready"), "");
    }

    private static long FolderBytes(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    /// <summary>Flushes the page cache's dirty pages, so that each side pays for its own writes.</summary>
    private static void Sync() => Run("sync");

    private static void Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}");
        }
    }
}
