using ImageSocial;
using ImageSocial.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL metadata provider in place of the embedded SQLite store.</summary>
public static class PostgresBuilderExtensions
{
    /// <summary>Stores users, photos, the follow graph, likes, comments and the outbox on logical shards over PostgreSQL servers, and
    /// routes by the cluster's persisted <see cref="PostgresShardMap"/> (which replaces the in-memory default map).</summary>
    /// <param name="builder">The SDK builder.</param>
    /// <param name="configure">Names the servers and sets the rules.</param>
    public static IImageSocialBuilder AddPostgresMetadata(this IImageSocialBuilder builder, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PostgresStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());
        services.TryAddSingleton(sp => new PostgresMetadataStore(sp.GetRequiredService<IOptions<PostgresStoreOptions>>(), sp.GetService<ILogger<PostgresMetadataStore>>()));
        services.Replace(ServiceDescriptor.Singleton<IPhotoStore>(sp => sp.GetRequiredService<PostgresMetadataStore>()));
        services.Replace(ServiceDescriptor.Singleton<IUserStore>(sp => sp.GetRequiredService<PostgresMetadataStore>()));
        services.Replace(ServiceDescriptor.Singleton<ISocialGraph>(sp => sp.GetRequiredService<PostgresMetadataStore>()));
        services.Replace(ServiceDescriptor.Singleton<IInteractionStore>(sp => sp.GetRequiredService<PostgresMetadataStore>()));
        services.Replace(ServiceDescriptor.Singleton<IOutbox>(sp => sp.GetRequiredService<PostgresMetadataStore>()));
        services.Replace(ServiceDescriptor.Singleton<IShardMap>(sp => sp.GetRequiredService<PostgresMetadataStore>().Map));
        return builder;
    }
}

/// <summary>Checks <see cref="PostgresStoreOptions"/> at start-up: ranges from the attributes, then the server list.</summary>
internal sealed partial class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        var failures = new List<string>();
        var ranges = ValidateRanges(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        if (options.Servers.Count == 0)
        {
            failures.Add("PostgresStoreOptions.Servers must name at least one server (ImageSocial:Postgres:Servers:0:Name and :ConnectionString).");
        }

        foreach (var (server, i) in options.Servers.Select((s, i) => (s, i)))
        {
            if (string.IsNullOrWhiteSpace(server.Name) || server.Name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
            {
                failures.Add($"Servers[{i}].Name must be letters, digits, '-' or '_'.");
            }

            foreach (var (key, value) in new[] { ("ConnectionString", server.ConnectionString), ("ReplicaConnectionString", server.ReplicaConnectionString) })
            {
                if (value is null && key == "ReplicaConnectionString")
                {
                    continue;
                }

                try
                {
                    _ = new Npgsql.NpgsqlConnectionStringBuilder(value).Host ?? throw new ArgumentException("it names no Host");
                }
                catch (ArgumentException ex)
                {
                    failures.Add($"Servers[{i}].{key} is not a usable Npgsql connection string: {ex.Message}");
                }
            }
        }

        if (options.Servers.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != options.Servers.Count)
        {
            failures.Add("Two servers share one name.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<PostgresStoreOptions>
    {
    }

    private static ValidateOptionsResult ValidateRanges(string? name, PostgresStoreOptions options) => new RangeValidator().Validate(name, options);
}
