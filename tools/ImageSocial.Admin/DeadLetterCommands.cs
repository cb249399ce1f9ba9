using System.Globalization;
using System.Text.Json;
using ImageSocial.Storage.Postgres;
using ImageSocial.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Admin;

/// <summary><c>dead-letters list</c> and <c>dead-letters retry</c> on the deployment's metadata store (the outbox lives there), without
/// starting anything else of the SDK, so it is safe beside running hosts.</summary>
internal static class DeadLetterCommands
{
    public static async Task<int> RunAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        await using var services = Outbox(arguments).BuildServiceProvider();
        var outbox = services.GetRequiredService<IOutbox>();
        switch (arguments.Command)
        {
            case "list":
                var letters = new List<DeadLetter>();
                string? cursor = null;
                do
                {
                    var page = await outbox.ListDeadLettersAsync(new PageRequest(cursor, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false);
                    letters.AddRange(page.Items);
                    cursor = page.NextCursor;
                }
                while (cursor is not null);

                if (arguments.Has("json"))
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(letters.Select(l => new
                    {
                        id = l.Message.Id.ToString(CultureInfo.InvariantCulture), kind = l.Message.Kind, subject = l.Message.Subject.ToString(CultureInfo.InvariantCulture),
                        attempts = l.Message.Attempts, error = l.Error, deadAt = l.DeadAt,
                    }))).ConfigureAwait(false);
                    return 0;
                }

                foreach (var letter in letters)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{letter.Message.Id,20}  {letter.Message.Kind,-22} subject {letter.Message.Subject,20}  {letter.Message.Attempts,3} attempts  dead {letter.DeadAt:u}  {letter.Error}")).ConfigureAwait(false);
                }

                await output.WriteLineAsync($"{letters.Count} dead letter(s)").ConfigureAwait(false);
                return 0;
            case "retry":
                var ids = new List<long>();
                if (arguments.Has("all"))
                {
                    // Each requeued letter leaves the listing, so the first page is always the next batch.
                    while ((await outbox.ListDeadLettersAsync(new PageRequest(null, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false)).Items is { Count: > 0 } batch)
                    {
                        foreach (var letter in batch.Where(l => !ids.Contains(l.Message.Id)))
                        {
                            ids.Add(await outbox.RequeueDeadLetterAsync(letter.Message.Id, cancellationToken).ConfigureAwait(false) ? letter.Message.Id : -1);
                        }
                    }
                }
                else
                {
                    var id = long.TryParse(arguments.Required("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException("--id takes a message id");
                    if (!await outbox.RequeueDeadLetterAsync(id, cancellationToken).ConfigureAwait(false))
                    {
                        throw new NotFoundException($"There is no dead letter {id}.");
                    }

                    ids.Add(id);
                }

                await output.WriteLineAsync($"requeued {ids.Count(i => i > 0)} dead letter(s); a running host's job runner picks them up").ConfigureAwait(false);
                return 0;
            default:
                throw new FormatException($"unknown command 'dead-letters {arguments.Command}'");
        }
    }

    private static ServiceCollection Outbox(Arguments arguments)
    {
        var services = new ServiceCollection();
        AddMetadata(arguments, new Builder(services));
        return services;
    }

    /// <summary>Only the metadata provider the settings name (PostgreSQL, or the embedded SQLite store in the data folder).</summary>
    internal static void AddMetadata(Arguments arguments, IImageSocialBuilder builder)
    {
        var settings = arguments.Settings();
        if (string.Equals(settings["ImageSocial:Providers:Metadata"], "postgres", StringComparison.OrdinalIgnoreCase) || arguments.All("server").Count > 0)
        {
            var options = ShardCommands.Options(arguments);
            builder.AddPostgresMetadata(o =>
            {
                o.LogicalShardCount = options.LogicalShardCount;
                foreach (var server in options.Servers)
                {
                    o.Servers.Add(server);
                }
            });
        }
        else
        {
            var database = Path.Combine(arguments.DataDirectory(settings), "imagesocial.db");
            if (!File.Exists(database))
            {
                throw new NotFoundException($"There is no deployment's database at {database}; name its folder with --data or IMAGESOCIAL_DATA.");
            }

            builder.AddSqliteMetadata(o => o.DatabasePath = database);
        }
    }

    internal sealed record Builder(IServiceCollection Services) : IImageSocialBuilder;
}
