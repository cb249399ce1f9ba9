using System.Globalization;

namespace ImageSocial.SampleHost;

/// <summary>The optional backup schedule: with <c>Backup:Repository</c> set, a backup of the whole deployment every <c>Backup:Interval</c>
/// (default one day; the first one interval after start), keeping the newest <c>Backup:Keep</c> (default 7). Run it on one host of a
/// deployment: two hosts would each take one.</summary>
internal sealed partial class ScheduledBackups(IServiceProvider services, IConfiguration configuration, ILogger<ScheduledBackups> logger) : BackgroundService
{
    internal static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["Backup:Repository"]))
        {
            services.AddHostedService<ScheduledBackups>();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var repository = configuration["Backup:Repository"]!;
        var interval = TimeSpan.Parse(configuration["Backup:Interval"] ?? "1.00:00:00", CultureInfo.InvariantCulture);
        var keep = int.Parse(configuration["Backup:Keep"] ?? "7", CultureInfo.InvariantCulture);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var manifest = await DeploymentBackup.BackupAsync(services.GetRequiredService<IMetadataBackup>(), services.GetRequiredService<IBlobStore>(),
                    new BackupOptions { Repository = repository, Keep = keep }, null, stoppingToken).ConfigureAwait(false);
                LogDone(logger, manifest.Id, manifest.Totals.Blobs, manifest.Totals.CopiedBlobs, manifest.Totals.Elapsed.TotalSeconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed backup is reported and tried again at the next tick; the host keeps serving.
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Backup {Id} done: {Blobs} blobs, {Copied} read this time, {Seconds:F1} s")]
    private static partial void LogDone(ILogger logger, string id, long blobs, long copied, double seconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The scheduled backup failed; it is tried again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
