using System.Reflection;
using ImageSocial.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageSocial.Redis.Tests;

/// <summary>Wraps the real photo store so that a test can stop a batch read after it has read the store and before it returns (the slow
/// reader of the cache-aside race), and count batch reads.</summary>
internal class PausingPhotoStore : DispatchProxy
{
    private IPhotoStore inner = null!;
    private Gate gate = null!;

    public static void Install(IServiceCollection services, Gate gate) =>
        services.Replace(ServiceDescriptor.Singleton<IPhotoStore>(sp =>
        {
            var proxy = Create<IPhotoStore, PausingPhotoStore>();
            ((PausingPhotoStore)(object)proxy).inner = sp.GetRequiredService<SqliteMetadataStore>();
            ((PausingPhotoStore)(object)proxy).gate = gate;
            return proxy;
        }));

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var result = targetMethod!.Invoke(inner, args);
        return targetMethod.Name == nameof(IPhotoStore.GetManyAsync) ? gate.PassAsync((Task<IReadOnlyList<Photo>>)result!) : result;
    }

    /// <summary>Armed, it holds the next batch read with what it read until released.</summary>
    public sealed class Gate
    {
        private TaskCompletionSource? armed;
        private int reads;

        public TaskCompletionSource Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads => Volatile.Read(ref reads);

        public TaskCompletionSource Arm() => armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        internal async Task<IReadOnlyList<Photo>> PassAsync(Task<IReadOnlyList<Photo>> read)
        {
            Interlocked.Increment(ref reads);
            var photos = await read;
            if (Interlocked.Exchange(ref armed, null) is { } release)
            {
                Loaded.TrySetResult();
                await release.Task;
            }

            return photos;
        }
    }
}
