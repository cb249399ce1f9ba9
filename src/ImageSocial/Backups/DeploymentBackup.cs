using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace ImageSocial;

/// <summary>Backs up and restores a whole deployment: the metadata first (the provider's consistent copy, embeddings included), then every
/// blob, so that the worst a backup can hold is a blob nothing refers to, never a reference to a missing blob.</summary>
/// <remarks>
/// <para>A repository holds backups as folders named by their UTC start time, each with its <c>manifest.json</c> and <c>metadata</c>
/// folder, and the blobs' bytes once, by SHA-256, in <c>objects</c>: a backup reads only the blobs the previous one did not have (a blob
/// key's bytes never change), and restores verify every checksum before they change anything.</para>
/// <para>A restore writes the blobs first, then the metadata, into a deployment that holds nothing yet (unless forced); no host may write to
/// it meanwhile. Hosts rebuild their vector indexes from the restored embeddings; nothing is embedded again.</para>
/// </remarks>
public static class DeploymentBackup
{
    private const string ManifestName = "manifest.json";

    /// <summary>Takes a backup into a repository.</summary>
    /// <param name="metadata">The deployment's metadata provider.</param>
    /// <param name="blobs">The deployment's blob store.</param>
    /// <param name="options">The repository, retention and parallelism.</param>
    /// <param name="progress">Told what is done, per stage, every few hundred items and at the end of each stage.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests; a cancelled backup leaves no
    /// manifest, so it is not a backup (its objects are reused by the next one).</param>
    /// <returns>The manifest written.</returns>
    public static async Task<BackupManifest> BackupAsync(IMetadataBackup metadata, IBlobStore blobs, BackupOptions options, IProgress<BackupProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        var started = Stopwatch.StartNew();
        var createdAt = DateTimeOffset.UtcNow;
        var repository = Path.GetFullPath(options.Repository);
        var id = createdAt.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var folder = Path.Combine(repository, id);
        var metadataFolder = Path.Combine(folder, "metadata");
        Directory.CreateDirectory(metadataFolder);
        Directory.CreateDirectory(Path.Combine(repository, "objects"));
        var previous = Newest(repository) is { } last ? (await ReadManifestAsync(last, cancellationToken).ConfigureAwait(false)).Blobs.ToDictionary(b => b.Key, StringComparer.Ordinal) : [];

        // The metadata first: every blob it refers to exists by now (uploads store blobs before metadata), and is copied below.
        var snapshot = await metadata.BackupMetadataAsync(metadataFolder, cancellationToken).ConfigureAwait(false);
        var files = new List<BackupFile>();
        foreach (var name in snapshot.Files)
        {
            var path = Path.Combine(metadataFolder, name);
            files.Add(new BackupFile(name, new FileInfo(path).Length, await HashFileAsync(path, cancellationToken).ConfigureAwait(false)));
        }

        progress?.Report(new BackupProgress("metadata", files.Count, files.Sum(f => f.Bytes)));

        var copied = new ConcurrentBag<BackupBlob>();
        var found = new ConcurrentBag<BackupBlob>();
        long done = 0, bytes = 0;
        await Parallel.ForEachAsync(blobs.ListAsync("", cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                BackupBlob? blob = null;
                if (previous.TryGetValue(key, out var known) && File.Exists(ObjectPath(repository, known.Sha256)))
                {
                    blob = known;
                }
                else if (await CopyInAsync(blobs, key, repository, ct).ConfigureAwait(false) is { } added)
                {
                    copied.Add(added);
                    blob = added;
                }

                if (blob is not null)
                {
                    found.Add(blob);
                    Interlocked.Add(ref bytes, blob.Bytes);
                }

                if (Interlocked.Increment(ref done) % 500 == 0)
                {
                    progress?.Report(new BackupProgress("blobs", Interlocked.Read(ref done), Interlocked.Read(ref bytes)));
                }
            }).ConfigureAwait(false);
        progress?.Report(new BackupProgress("blobs", done, bytes));

        // Everything written above reaches the disk before the manifest says the backup exists.
        await DiskFlush.FlushAsync(Path.Combine(metadataFolder, files[0].Name),
            [.. copied.Select(b => ObjectPath(repository, b.Sha256)).Distinct(), .. files.Select(f => Path.Combine(metadataFolder, f.Name))], cancellationToken).ConfigureAwait(false);
        var list = found.OrderBy(b => b.Key, StringComparer.Ordinal).ToList();
        var manifest = new BackupManifest(1, id, createdAt, new BackupMetadata(snapshot.Provider, files, snapshot.Counts), list,
            new BackupTotals(list.Count, list.Sum(b => b.Bytes), copied.Count, copied.Sum(b => b.Bytes), files.Sum(f => f.Bytes), started.Elapsed));
        // The manifest last, written whole: a folder without one is an interrupted backup, never restored.
        var temporary = Path.Combine(folder, ManifestName + ".tmp");
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(manifest, BackupJson.Default.BackupManifest), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, Path.Combine(folder, ManifestName));

        if (options.Keep is { } keep)
        {
            await ApplyRetentionAsync(repository, keep, progress, cancellationToken).ConfigureAwait(false);
        }

        return manifest;
    }

    /// <summary>Checks a backup without restoring it: the manifest, every metadata file and every blob object, by size and SHA-256.</summary>
    /// <param name="source">A backup's folder, or a repository (its newest backup).</param>
    /// <param name="progress">Told how many objects were checked.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The backup's manifest.</returns>
    /// <exception cref="BackupDamagedException">Something is missing, cut short or changed; the message names it.</exception>
    public static async Task<BackupManifest> VerifyAsync(string source, IProgress<BackupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (folder, repository) = Locate(source);
        var manifest = await ReadManifestAsync(folder, cancellationToken).ConfigureAwait(false);
        foreach (var file in manifest.Metadata.Files)
        {
            await CheckAsync(Path.Combine(folder, "metadata", file.Name), file.Bytes, file.Sha256, $"metadata file '{file.Name}'", cancellationToken).ConfigureAwait(false);
        }

        long done = 0;
        await Parallel.ForEachAsync(manifest.Blobs.DistinctBy(b => b.Sha256), cancellationToken, async (blob, ct) =>
        {
            await CheckAsync(ObjectPath(repository, blob.Sha256), blob.Bytes, blob.Sha256, $"blob '{blob.Key}'", ct).ConfigureAwait(false);
            if (Interlocked.Increment(ref done) % 1000 == 0)
            {
                progress?.Report(new BackupProgress("verify", Interlocked.Read(ref done), 0));
            }
        }).ConfigureAwait(false);
        progress?.Report(new BackupProgress("verify", done, 0));
        return manifest;
    }

    /// <summary>Restores a backup into a deployment: verifies it whole, then writes the blobs, then the metadata.</summary>
    /// <param name="metadata">The deployment's metadata provider.</param>
    /// <param name="blobs">The deployment's blob store.</param>
    /// <param name="options">The backup, whether to restore over existing data, and parallelism.</param>
    /// <param name="progress">Told what is done, per stage.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>What was restored.</returns>
    /// <exception cref="BackupDamagedException">The backup is damaged (nothing was changed).</exception>
    /// <exception cref="ConflictException">The deployment already holds accounts or blobs and <see cref="RestoreOptions.Force"/> is off.</exception>
    public static async Task<RestoreReport> RestoreAsync(IMetadataBackup metadata, IBlobStore blobs, RestoreOptions options, IProgress<BackupProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        var started = Stopwatch.StartNew();
        if (!options.Force)
        {
            var hasBlobs = false;
            await foreach (var _ in blobs.ListAsync("", cancellationToken).ConfigureAwait(false))
            {
                hasBlobs = true;
                break;
            }

            if (hasBlobs || !await metadata.IsMetadataEmptyAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new ConflictException("The deployment is not empty (it holds accounts or blobs); restore into an empty one, or force it to replace what is there.");
            }
        }

        var manifest = await VerifyAsync(options.Source, progress, cancellationToken).ConfigureAwait(false);
        var (folder, repository) = Locate(options.Source);
        long done = 0, bytes = 0;
        await Parallel.ForEachAsync(manifest.Blobs, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (blob, ct) =>
        {
            var stream = new FileStream(ObjectPath(repository, blob.Sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await blobs.PutAsync(blob.Key, stream, blob.ContentType, ct).ConfigureAwait(false);
            }

            Interlocked.Add(ref bytes, blob.Bytes);
            if (Interlocked.Increment(ref done) % 500 == 0)
            {
                progress?.Report(new BackupProgress("blobs", Interlocked.Read(ref done), Interlocked.Read(ref bytes)));
            }
        }).ConfigureAwait(false);
        progress?.Report(new BackupProgress("blobs", done, bytes));

        await metadata.RestoreMetadataAsync(Path.Combine(folder, "metadata"),
            new MetadataSnapshot(manifest.Metadata.Provider, manifest.Metadata.Files.Select(f => f.Name).ToList(), manifest.Metadata.Counts), cancellationToken).ConfigureAwait(false);
        progress?.Report(new BackupProgress("metadata", manifest.Metadata.Files.Count, manifest.Metadata.Files.Sum(f => f.Bytes)));
        return new RestoreReport(manifest, done, bytes, started.Elapsed);
    }

    /// <summary>The backups of a repository, oldest first (folders with a manifest).</summary>
    /// <param name="repository">The repository.</param>
    public static IReadOnlyList<string> ListBackups(string repository) =>
        Directory.Exists(repository)
            ? Directory.EnumerateDirectories(repository).Where(d => File.Exists(Path.Combine(d, ManifestName))).Order(StringComparer.Ordinal).ToList()
            : [];

    private static string? Newest(string repository) => ListBackups(repository).LastOrDefault();

    /// <summary>The backup folder and its repository for a path naming either.</summary>
    private static (string Folder, string Repository) Locate(string source)
    {
        var path = Path.GetFullPath(source);
        if (File.Exists(Path.Combine(path, ManifestName)))
        {
            return (path, Path.GetDirectoryName(path)!);
        }

        return Newest(path) is { } newest
            ? (newest, path)
            : throw new BackupDamagedException($"There is no backup at {path}: no {ManifestName} there, and no backup folder with one.");
    }

    private static async Task<BackupManifest> ReadManifestAsync(string folder, CancellationToken cancellationToken)
    {
        try
        {
            var stream = File.OpenRead(Path.Combine(folder, ManifestName));
            await using (stream.ConfigureAwait(false))
            {
                var manifest = await JsonSerializer.DeserializeAsync(stream, BackupJson.Default.BackupManifest, cancellationToken).ConfigureAwait(false);
                return manifest is { Format: 1, Metadata: not null, Blobs: not null }
                    ? manifest
                    : throw new BackupDamagedException($"{ManifestName} in {folder} is not a backup manifest this SDK reads.");
            }
        }
        catch (JsonException ex)
        {
            throw new BackupDamagedException($"{ManifestName} in {folder} is damaged: {ex.Message}");
        }
        catch (FileNotFoundException)
        {
            throw new BackupDamagedException($"{ManifestName} is missing in {folder}.");
        }
    }

    /// <summary>Reads one blob into the repository's objects by its hash; <see langword="null"/> when it went away meanwhile.</summary>
    private static async Task<BackupBlob?> CopyInAsync(IBlobStore blobs, string key, string repository, CancellationToken cancellationToken)
    {
        var content = await blobs.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return null; // deleted (purged) since it was listed: the metadata copy, taken before, does not refer to a live photo's blob
        }

        using (content)
        {
            var temporary = Path.Combine(repository, "objects", $".tmp-{Guid.NewGuid():N}");
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long length = 0;
                var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await content.Content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        length += read;
                    }
                }

                var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                var target = ObjectPath(repository, sha);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (File.Exists(target))
                {
                    File.Delete(temporary); // the same bytes under another key, or from an earlier backup
                }
                else
                {
                    File.Move(temporary, target, overwrite: true);
                }

                return new BackupBlob(key, content.ContentType, length, sha);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
        }
    }

    private static async Task ApplyRetentionAsync(string repository, int keep, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var backups = ListBackups(repository);
        var removed = 0;
        foreach (var old in backups.Take(Math.Max(0, backups.Count - keep)))
        {
            // The manifest first: a folder without one is no longer a backup, whatever happens to the rest.
            File.Delete(Path.Combine(old, ManifestName));
            Directory.Delete(old, recursive: true);
            removed++;
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var backup in ListBackups(repository))
        {
            referenced.UnionWith((await ReadManifestAsync(backup, cancellationToken).ConfigureAwait(false)).Blobs.Select(b => b.Sha256));
        }

        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repository, "objects"), "*", SearchOption.AllDirectories))
        {
            if (!referenced.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
                deleted++;
            }
        }

        progress?.Report(new BackupProgress("retention", removed, deleted));
    }

    private static string ObjectPath(string repository, string sha256) => Path.Combine(repository, "objects", sha256[..2], sha256);

    private static async Task CheckAsync(string path, long bytes, string sha256, string what, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new BackupDamagedException($"The backup's {what} is missing ({path}).");
        }

        if (new FileInfo(path).Length != bytes)
        {
            throw new BackupDamagedException($"The backup's {what} is {new FileInfo(path).Length} bytes; the manifest says {bytes} ({path}).");
        }

        if (await HashFileAsync(path, cancellationToken).ConfigureAwait(false) != sha256)
        {
            throw new BackupDamagedException($"The backup's {what} does not match its checksum: it changed since the backup was taken ({path}).");
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }
}
