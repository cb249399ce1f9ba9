using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageSocial.Shared.Health;

/// <summary>Registers a provider's health check (Aspire's model: on by default, named <c>imagesocial-&lt;provider&gt;</c>, tagged
/// <c>imagesocial</c>). It only adds the check's registration: the application turns health checks on (<c>AddHealthChecks()</c>) and
/// decides where to expose them, so an application without them gets no hosted service or dependency from a provider.</summary>
/// <remarks>Shared source, compiled into each provider package.</remarks>
internal static class ProviderHealth
{
    internal const string Tag = "imagesocial";

    /// <summary>Adds a check named <paramref name="name"/> (once, however often called) whose result <paramref name="probe"/> decides;
    /// a probe that throws reports the registration's failure status with the error.</summary>
    internal static void Add(IServiceCollection services, string name, Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> probe)
    {
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (!o.Registrations.Any(r => r.Name == name))
            {
                o.Registrations.Add(new HealthCheckRegistration(name, sp => new Probe(sp, probe), HealthStatus.Unhealthy, [Tag]));
            }
        });
    }

    /// <summary>A probe that passes when <paramref name="call"/> completes.</summary>
    internal static Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> Answers(Func<IServiceProvider, CancellationToken, Task> call) =>
        async (sp, ct) =>
        {
            await call(sp, ct).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        };

    private sealed class Probe(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await probe(services, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, ex.Message, ex);
            }
        }
    }
}
