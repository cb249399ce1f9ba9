using ImageSocial;
using ImageSocial.ProviderServices;
using ImageSocial.Shared.Health;
using ImageSocial.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite metadata provider.</summary>
public static class SqliteBuilderExtensions
{
    /// <summary>The name of the provider's health check.</summary>
    public const string HealthCheckName = "imagesocial-sqlite";

    /// <summary>Stores users, photos, the follow graph, likes, comments, the outbox and the embedding spaces in one SQLite database,
    /// replacing any metadata provider added before.</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Sets <see cref="SqliteStoreOptions"/> (where the database lives).</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddSqliteMetadata(this IImageSocialBuilder builder, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<SqliteStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder);
    }

    /// <summary>Stores the metadata in SQLite with <see cref="SqliteStoreOptions"/> bound from configuration (e.g. <c>ImageSocial:Sqlite</c>).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The builder.</returns>
    public static IImageSocialBuilder AddSqliteMetadata(this IImageSocialBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<SqliteStoreOptions>().Bind(configuration);
        return Register(builder);
    }

    private static IImageSocialBuilder Register(IImageSocialBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SqliteStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        // Timelines only by default: AddRedisTimelines() keeps them in Redis whichever is added first.
        services.UseProvider(sp => new SqliteMetadataStore(sp.GetRequiredService<IOptions<SqliteStoreOptions>>(), sp.GetService<ILoggerFactory>()), [typeof(ITimelineStore)]);
        ProviderHealth.Add(services, HealthCheckName, ProviderHealth.Answers((sp, ct) => sp.GetRequiredService<SqliteMetadataStore>().PingAsync(ct)));
        return builder;
    }
}

/// <summary>Checks <see cref="SqliteStoreOptions"/> at start-up, source-generated from its attributes.</summary>
[OptionsValidator]
internal sealed partial class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
}
