using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageSocial.Redis.Tests.JobHost;

/// <summary>Wraps the real blob store so that each delete takes a little while: jobs then last long enough for two hosts to overlap if the
/// queue ever handed one message to both.</summary>
internal class SlowDeletes : DispatchProxy
{
    private IBlobStore inner = null!;

    public static void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IBlobStore));
        services.Replace(ServiceDescriptor.Singleton<IBlobStore>(sp =>
        {
            var proxy = Create<IBlobStore, SlowDeletes>();
            ((SlowDeletes)(object)proxy).inner = (IBlobStore)original.ImplementationFactory!(sp);
            return proxy;
        }));
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IBlobStore.DeleteAsync))
        {
            Thread.Sleep(40);
        }

        return targetMethod.Invoke(inner, args);
    }
}
