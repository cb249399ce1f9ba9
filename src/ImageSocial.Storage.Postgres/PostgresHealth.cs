using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>The provider's health: degraded while the schemas are being created, then each server asked for <c>SELECT 1</c> within a
/// short timeout (a server that does not answer makes the cluster degraded, or unhealthy when it is the catalog).</summary>
internal static class PostgresHealth
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    internal static async Task<HealthCheckResult> CheckAsync(PostgresCluster cluster, CancellationToken cancellationToken)
    {
        if (!cluster.IsProvisioned)
        {
            _ = cluster.EnsureProvisionedAsync(CancellationToken.None).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            var progress = cluster.Progress;
            return progress.LastError is { } error
                ? HealthCheckResult.Unhealthy($"Creating the schemas failed: {error.Message}", error)
                : HealthCheckResult.Degraded($"Provisioning: {progress}.");
        }

        var down = new List<string>();
        foreach (var server in cluster.Servers)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                var connection = await server.Primary.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var command = new NpgsqlCommand("SELECT 1", connection);
                    await using (command.ConfigureAwait(false))
                    {
                        await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                down.Add(server.Name);
            }
        }

        return down.Count == 0 ? HealthCheckResult.Healthy()
            : down.Contains(cluster.Catalog.Name) ? HealthCheckResult.Unhealthy($"The catalog server does not answer ({string.Join(", ", down)} down).")
            : HealthCheckResult.Degraded($"Servers not answering: {string.Join(", ", down)}; their users' data is unavailable.");
    }
}
