using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageSocial.SampleHost.Api;

/// <summary>Healthy when the metadata store, the blob store and the vector index each answer a cheap read.</summary>
internal sealed class StoresHealthCheck(IUserStore users, IBlobStore blobs, IVectorIndex vectors) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await users.GetAsync(new UserId(1), cancellationToken).ConfigureAwait(false);
            await blobs.ExistsAsync("health/probe", cancellationToken).ConfigureAwait(false);
            await vectors.CountAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("A store did not answer.", ex);
        }
    }
}
