using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageSocial.ProviderServices;

/// <summary>What a provider package's <c>Add…</c> method does to make its type serve the SDK's contracts.</summary>
public static class ProviderRegistration
{
    /// <summary>The SDK contracts (interfaces of <c>ImageSocial.Abstractions</c>) that a provider type implements.</summary>
    /// <param name="provider">The provider type.</param>
    public static IReadOnlyList<Type> ContractsOf([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces)] Type provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.GetInterfaces().Where(i => i.Assembly == typeof(IPhotoStore).Assembly).ToList();
    }

    /// <summary>Registers a provider as one singleton that serves every SDK contract it implements, replacing whatever served those
    /// contracts before (so the last provider added for a contract wins).</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection UseProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces)] TProvider>(this IServiceCollection services, Func<IServiceProvider, TProvider> factory)
        where TProvider : class => UseProvider(services, factory, []);

    /// <summary>Registers a provider like <see cref="UseProvider{TProvider}(IServiceCollection, Func{IServiceProvider, TProvider})"/>, except that
    /// it serves the contracts in <paramref name="unlessServed"/> only when nothing serves them yet: a metadata store that can also hold
    /// timelines leaves a dedicated timeline provider in place whichever was added first.</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <param name="unlessServed">Contracts the provider serves only as a default.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection UseProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces)] TProvider>(this IServiceCollection services, Func<IServiceProvider, TProvider> factory,
        IReadOnlyCollection<Type> unlessServed)
        where TProvider : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(unlessServed);
        services.Replace(ServiceDescriptor.Singleton(factory));
        foreach (var contract in ContractsOf(typeof(TProvider)))
        {
            var descriptor = ServiceDescriptor.Singleton(contract, sp => sp.GetRequiredService<TProvider>());
            if (unlessServed.Contains(contract))
            {
                services.TryAdd(descriptor);
            }
            else
            {
                services.Replace(descriptor);
            }
        }

        return services;
    }

    /// <summary>Whether something already serves a contract (a provider added earlier), so that a default can stay out of its way.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="contract">The contract.</param>
    public static bool Serves(this IServiceCollection services, Type contract)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.Any(d => d.ServiceType == contract);
    }
}
