using Microsoft.Extensions.Hosting;

namespace ImageSocial.Storage.Postgres;

/// <summary>Starts creating the cluster's schemas when the host starts, without holding the start-up: the host answers (its health
/// check says "degraded" with the progress) while they are created, and requests wait for them.</summary>
internal sealed class PostgresProvisioningService(PostgresMetadataStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Failures are logged by the cluster and retried by the next request; observe them here so they are not left unobserved.
        _ = store.Cluster.EnsureProvisionedAsync(CancellationToken.None).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
