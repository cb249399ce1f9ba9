using System.Globalization;
using System.Text.Json;
using ImageSocial.Storage.Local;
using ImageSocial.Storage.S3;
using Microsoft.Extensions.Configuration;

namespace ImageSocial.Admin;

/// <summary><c>blobs migrate --from local|s3 --to local|s3</c>: copies every blob from one provider to the other with the deployment's
/// settings, verifies each copy, and resumes after an interruption through a journal in the data folder.</summary>
internal static class BlobCommands
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = arguments.Settings();
        var data = arguments.DataDirectory(settings);
        if (arguments.Command == "reencrypt")
        {
            return await ReencryptAsync(settings, data, output, cancellationToken).ConfigureAwait(false);
        }

        if (arguments.Command != "migrate")
        {
            throw new FormatException($"unknown command 'blobs {arguments.Command}'");
        }

        var from = arguments.Required("from");
        var to = arguments.Required("to");
        if (from == to)
        {
            throw new FormatException("--from and --to name the same provider");
        }

        using var source = Open(from, settings, data);
        using var target = Open(to, settings, data);
        var journal = arguments.Optional("journal") ?? Path.Combine(data, $"blob-migration-{from}-to-{to}.journal");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(journal))!);
        await output.WriteLineAsync($"copying every blob from {from} to {to}; verified keys are kept in {journal}, so a second run resumes").ConfigureAwait(false);
        var report = await BlobMigration.MigrateAsync(source.Store, target.Store, new BlobMigrationOptions
        {
            JournalPath = journal,
            Parallelism = arguments.Optional("parallel") is null ? 4 : arguments.Integer("parallel"),
        }, new LineProgress(output), cancellationToken).ConfigureAwait(false);
        if (arguments.Has("json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase })).ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"done: {report.Listed} blobs listed, {report.Copied} copied and verified ({report.Bytes / 1048576.0:F1} MiB), {report.Skipped} already done, {report.Mismatches.Count} mismatches, {report.Elapsed.TotalSeconds:F1} s")).ConfigureAwait(false);
        foreach (var key in report.Mismatches)
        {
            await output.WriteLineAsync($"  mismatch: {key}").ConfigureAwait(false);
        }

        if (report.Mismatches.Count == 0)
        {
            await output.WriteLineAsync($"nothing was changed in the settings: set ImageSocial:Providers:Blobs={to} when no host writes to {from} any more").ConfigureAwait(false);
        }

        return report.Mismatches.Count == 0 ? 0 : 1;
    }

    private static async Task<int> ReencryptAsync(IConfiguration settings, string data, TextWriter output, CancellationToken cancellationToken)
    {
        using var opened = Open("local", settings, data);
        var store = (LocalBlobStore)opened.Store;
        await output.WriteLineAsync(store.EncryptsAtRest
            ? "rewriting every local blob that is not under the current key"
            : "encryption is off: decrypting every encrypted local blob to plain").ConfigureAwait(false);
        var rewritten = await store.ReencryptAsync(new LineCount(output), cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"done: {rewritten} blobs rewritten; keys no blob is under any more can now leave the ring").ConfigureAwait(false);
        return 0;
    }

    /// <summary>A blob store as the deployment's settings describe it.</summary>
    internal static Opened Open(string provider, IConfiguration settings, string data) => provider switch
    {
        "local" => new Opened(new LocalBlobStore(Microsoft.Extensions.Options.Options.Create(Bind(settings.GetSection("ImageSocial:LocalBlobs"),
            new LocalBlobStoreOptions { RootPath = Path.Combine(data, "blobs") })))),
        "s3" => new Opened(new S3BlobStore(Microsoft.Extensions.Options.Options.Create(Bind(settings.GetSection("ImageSocial:S3"), new S3BlobStoreOptions())))),
        _ => throw new FormatException($"unknown blob provider '{provider}': local or s3"),
    };

    private static T Bind<T>(IConfigurationSection section, T options)
    {
        section.Bind(options);
        return options;
    }

    internal sealed record Opened(IBlobStore Store) : IDisposable
    {
        public void Dispose() => (Store as IDisposable)?.Dispose();
    }

    /// <summary>Writes progress as it is reported (a <see cref="Progress{T}"/> would post it to the thread pool, out of order).</summary>
    private sealed class LineCount(TextWriter output) : IProgress<int>
    {
        public void Report(int value) => output.WriteLine($"  {value} blobs examined");
    }

    private sealed class LineProgress(TextWriter output) : IProgress<BlobMigrationReport>
    {
        public void Report(BlobMigrationReport value) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{DateTime.UtcNow:HH:mm:ss}] {value.Copied} copied ({value.Bytes / 1048576.0:F1} MiB, {value.Bytes / 1048576.0 / Math.Max(value.Elapsed.TotalSeconds, 0.001):F1} MiB/s), {value.Skipped} already done, {value.Mismatches.Count} mismatches"));
    }
}
