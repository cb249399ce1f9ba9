using ImageSocial.ConformanceTests;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Tests;

/// <summary>The SDK on its embedded defaults in a temp folder, with a clock the test moves and the job runner driven by hand.</summary>
internal sealed class TestHost : IDisposable
{
    private readonly ServiceProvider provider;
    private readonly TemporaryDirectory? folder;

    public TestHost(string? dataDirectory = null, Func<IServiceProvider, IEmbeddingEngine>? embeddings = null, Action<IImageSocialBuilder>? providers = null,
        Action<ImageSocialOptions>? configure = null)
    {
        folder = dataDirectory is null ? new TemporaryDirectory() : null;
        DataDirectory = dataDirectory ?? folder!.Path;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        if (embeddings is not null)
        {
            services.AddSingleton(embeddings);
        }

        var builder = services.AddImageSocial(o =>
        {
            o.Jobs.Enabled = false;
            configure?.Invoke(o);
        });
        providers?.Invoke(builder);
        builder.AddEmbeddedDefaults(DataDirectory);
        provider = services.BuildServiceProvider();
    }

    public string DataDirectory { get; }

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public ImageSocialService Service => provider.GetRequiredService<ImageSocialService>();

    public JobRunner Jobs => provider.GetRequiredService<JobRunner>();

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public void Dispose()
    {
        provider.Dispose();
        folder?.Dispose();
    }
}
