using ImageSocial.Shared.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>Every metadata contract over logical shards on many PostgreSQL servers (Instagram's public layout).</summary>
/// <remarks>
/// <para>A user's logical shard is the one in their id; it is a schema (<c>shard_0042</c>) on the server the <see cref="Map"/> names.
/// Their profile, photos, the likes and comments on those photos and their side of each follow edge live there, so every
/// single-user operation is one transaction on one server. Ids are made by the SDK's generator in the application: the upload path
/// needs the photo id before anything is written (blob keys carry it), and making it locally costs no round trip and does not depend
/// on the shard's server being up.</para>
/// <para>Each server also keeps a photo index and a follower index over the shards it holds, written in the same transactions as the
/// shards' rows, so reads across users (batch gets, feed pulls, search) and owner listings evaluate the whole visibility rule in one
/// statement per server they touch, at most <see cref="PostgresStoreOptions.MaxFanOutDegree"/> servers at a time. Viewer reads may
/// use a replica under the rule in <see cref="PostgresStoreOptions.ReadFromReplicas"/>. Thread-safe.</para>
/// </remarks>
public sealed partial class PostgresMetadataStore : IPhotoStore, IUserStore, ISocialGraph, IInteractionStore, IOutbox, IEmbeddingSpaceStore, ITimelineStore, IAsyncDisposable, IDisposable
{
    private readonly PostgresCluster cluster;
    private readonly PostgresStoreOptions settings;

    /// <summary>Creates the store; schemas are created on first use (or at host start, when registered with
    /// <c>AddPostgresMetadata</c>).</summary>
    /// <param name="options">Servers and rules.</param>
    /// <param name="loggerFactory">Receives provisioning progress and retries (category <c>ImageSocial.Storage.Postgres</c>) and is
    /// handed to every Npgsql data source.</param>
    public PostgresMetadataStore(IOptions<PostgresStoreOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings = options.Value;
        cluster = new PostgresCluster(options.Value, loggerFactory);
    }

    /// <summary>The versioned shard map this store routes by.</summary>
    public PostgresShardMap Map => cluster.Map;

    internal PostgresCluster Cluster => cluster;

    /// <summary>Creates the schemas now instead of on first use (idempotent; several processes may call it at once).</summary>
    /// <param name="cancellationToken">Stops waiting; the creation itself goes on, and the next call picks it up.</param>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => cluster.EnsureProvisionedAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => cluster.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static int ShardOf(long id) => SnowflakeId.GetLogicalShard(id);

    /// <summary>Makes a page from up to limit+1 rows.</summary>
    private static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, long> key) => Pages.From(rows, limit, key);

    private static async Task EnqueueAsync(NpgsqlConnection c, NpgsqlTransaction t, IReadOnlyList<OutboxMessage> work, CancellationToken ct)
    {
        if (work.Count == 0)
        {
            return;
        }

        await Sql.ExecuteAsync(c, t, """
            INSERT INTO imagesocial.outbox(kind, subject, data, due_at)
            SELECT k, s, d, coalesce(due, '-infinity') FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[]) AS m(k, s, d, due)
            """, ct, work.Select(m => m.Kind).ToArray(), work.Select(m => m.Subject).ToArray(), work.Select(m => m.Data).ToArray(),
            work.Select(m => m.DueAt?.ToUniversalTime()).ToArray()).ConfigureAwait(false);
    }
}
