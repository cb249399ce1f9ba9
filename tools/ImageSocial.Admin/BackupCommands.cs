using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Admin;

/// <summary><c>backup --to DIR</c> and <c>restore --from DIR</c>: the whole deployment the settings name (metadata with its embeddings,
/// then blobs), with progress, through <see cref="DeploymentBackup"/>.</summary>
internal static class BackupCommands
{
    internal const string Help = """
        usage: ./build.sh backup --to REPOSITORY [--keep N] [--config appsettings.json] [--data DIR] [--parallel N]
               ./build.sh restore --from BACKUP|REPOSITORY [--force] [--config appsettings.json] [--data DIR] [--parallel N]

        backup   copies the deployment into REPOSITORY/<UTC time>/: first the metadata (SQLite's online backup API: a consistent copy
                 while hosts keep writing; the embeddings are in it), then every blob, kept once by SHA-256 in REPOSITORY/objects so that
                 a later backup reads only new blobs; manifest.json at the backup's root lists the files and blobs with sizes and
                 checksums, and the row counts. --keep N deletes the oldest backups beyond N and the objects only they used.
        restore  verifies every checksum of the backup (the newest one when REPOSITORY is given), then writes the blobs and then the
                 metadata into the deployment. It refuses a deployment that already holds accounts or blobs unless --force. Stop the
                 hosts first; started again, they rebuild their vector indexes from the restored embeddings (nothing is re-embedded).

        The deployment is read as the sample host reads it: --config FILE (its appsettings.json), then environment variables
        (IMAGESOCIAL_DATA, ImageSocial__Providers__Blobs, ImageSocial__S3__Bucket, ...); --data names the embedded store's folder
        (default ./data). Blobs: ImageSocial:Providers:Blobs local (default) or s3.
        """;

    public static async Task<int> RunAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        if (arguments.Has("help"))
        {
            await output.WriteLineAsync(Help).ConfigureAwait(false);
            return 0;
        }

        var settings = arguments.Settings();
        var data = arguments.DataDirectory(settings);
        var restoring = arguments.Area == "restore";
        var services = new ServiceCollection();
        AddMetadata(settings, data, restoring, new DeadLetterCommands.Builder(services));
        await using var provider = services.BuildServiceProvider();
        var metadata = provider.GetService<IMetadataBackup>() ?? throw new ValidationException("This deployment's metadata provider has no backup.");
        using var blobs = BlobCommands.Open(settings["ImageSocial:Providers:Blobs"] is { Length: > 0 } name ? name.ToLowerInvariant() : "local", settings, data);
        var progress = new Lines(output);
        var parallel = arguments.Optional("parallel") is null ? 16 : arguments.Integer("parallel");
        if (!restoring)
        {
            var repository = arguments.Required("to");
            await output.WriteLineAsync($"backing up the deployment in {data} into {Path.GetFullPath(repository)}: metadata first, then blobs").ConfigureAwait(false);
            var manifest = await DeploymentBackup.BackupAsync(metadata, blobs.Store, new BackupOptions
            {
                Repository = repository,
                Keep = arguments.Optional("keep") is null ? null : arguments.Integer("keep"),
                Parallelism = parallel,
            }, progress, cancellationToken).ConfigureAwait(false);
            var t = manifest.Totals;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"done: backup {manifest.Id}: {Counts(manifest)}; {t.Blobs} blobs ({t.BlobBytes / 1048576.0:F1} MiB), {t.CopiedBlobs} read this time ({t.CopiedBytes / 1048576.0:F1} MiB); metadata {t.MetadataBytes / 1048576.0:F1} MiB; {t.Elapsed.TotalSeconds:F1} s"))
                .ConfigureAwait(false);
            return 0;
        }

        var source = arguments.Required("from");
        await output.WriteLineAsync($"restoring {Path.GetFullPath(source)} into the deployment in {data}: verifying every checksum, then blobs, then metadata").ConfigureAwait(false);
        var report = await DeploymentBackup.RestoreAsync(metadata, blobs.Store, new RestoreOptions { Source = source, Force = arguments.Has("force"), Parallelism = parallel },
            progress, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"done: restored backup {report.Manifest.Id}: {Counts(report.Manifest)}; {report.Blobs} blobs ({report.Bytes / 1048576.0:F1} MiB); {report.Elapsed.TotalSeconds:F1} s")).ConfigureAwait(false);
        return 0;
    }

    private static string Counts(BackupManifest manifest) => string.Join(", ", manifest.Metadata.Counts.Select(c => $"{c.Value} {c.Key}"));

    /// <summary>The metadata provider the settings name; a restore may create the embedded store's database.</summary>
    private static void AddMetadata(IConfiguration settings, string data, bool create, IImageSocialBuilder builder)
    {
        if (string.Equals(settings["ImageSocial:Providers:Metadata"], "postgres", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddPostgresMetadata(settings.GetSection("ImageSocial:Postgres"));
            return;
        }

        var database = Path.Combine(data, "imagesocial.db");
        if (!create && !File.Exists(database))
        {
            throw new NotFoundException($"There is no deployment's database at {database}; name its folder with --data or IMAGESOCIAL_DATA.");
        }

        builder.AddSqliteMetadata(o => o.DatabasePath = database);
    }

    private sealed class Lines(TextWriter output) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) =>
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value.Stage}: {value.Done} done, {value.Bytes / 1048576.0:F1} MiB"));
    }
}
