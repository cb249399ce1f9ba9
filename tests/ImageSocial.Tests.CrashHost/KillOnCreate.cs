using System.Diagnostics;
using System.Reflection;
using ImageSocial;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

/// <summary>Wraps the photo store so that creating a photo titled <see cref="Title"/> kills the process: its blobs are written, its metadata
/// never commits, exactly what a crash between the two steps of an upload leaves.</summary>
internal class KillOnCreate : DispatchProxy
{
    public const string Title = "die before the commit";

    private IPhotoStore inner = null!;

    public static void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IPhotoStore));
        services.Replace(ServiceDescriptor.Singleton<IPhotoStore>(sp =>
        {
            var proxy = Create<IPhotoStore, KillOnCreate>();
            ((KillOnCreate)(object)proxy).inner = (IPhotoStore)original.ImplementationFactory!(sp);
            return proxy;
        }));
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IPhotoStore.CreateAsync) && args![0] is Photo { Title: Title } photo)
        {
            Console.WriteLine($"DYING {photo.Id}");
            Console.Out.Flush();
            Process.GetCurrentProcess().Kill();
        }

        return targetMethod.Invoke(inner, args);
    }
}
