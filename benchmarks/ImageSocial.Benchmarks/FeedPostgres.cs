using System.Diagnostics;
using System.Globalization;
using ImageSocial.Storage.Postgres;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ImageSocial.Benchmarks;

/// <summary>The feed benchmark on PostgreSQL: two servers on this machine, <see cref="Shards"/> logical shards, the store's own schema,
/// then users, both sides of every follow edge (and the servers' follower index) and photos (and the servers' photo index) bulk-copied
/// per shard with COPY. The copy bypasses the API's validation and the outbox; the change feed's trigger still runs.</summary>
internal sealed class FeedPostgres : IAsyncDisposable
{
    /// <summary>Few logical shards: the data set has to be copied into each one's tables.</summary>
    public const int Shards = 16;

    private readonly PostgresServer[] servers;
    private readonly Dictionary<string, string> connectionStrings;

    private FeedPostgres(PostgresServer[] servers, Dictionary<string, string> connectionStrings, PostgresMetadataStore store) =>
        (this.servers, this.connectionStrings, Store) = (servers, connectionStrings, store);

    public PostgresMetadataStore Store { get; }

    public double LoadSeconds { get; private set; }

    public static async Task<FeedPostgres> OpenAsync(FeedData set, string data, FeedOptions options)
    {
        string[] settings = ["shared_buffers=2GB", "max_connections=200", "effective_cache_size=8GB", "jit=off", "max_wal_size=8GB", "synchronous_commit=off"];
        var servers = new[] { PostgresServer.StartPrimary(Path.Combine(data, "pg-1"), settings), PostgresServer.StartPrimary(Path.Combine(data, "pg-2"), settings) };
        var storeOptions = new PostgresStoreOptions { LogicalShardCount = Shards };
        var connectionStrings = new Dictionary<string, string> { ["pg1"] = servers[0].ConnectionString(), ["pg2"] = servers[1].ConnectionString() };
        foreach (var (name, connection) in connectionStrings)
        {
            storeOptions.Servers.Add(new PostgresServerOptions { Name = name, ConnectionString = connection + ";Maximum Pool Size=32" });
        }

        var store = new PostgresMetadataStore(Options.Create(storeOptions));
        await store.EnsureCreatedAsync();
        var bench = new FeedPostgres(servers, connectionStrings, store);
        var marker = Path.Combine(data, "postgres.loaded");
        if (File.Exists(marker))
        {
            bench.LoadSeconds = double.Parse(await File.ReadAllTextAsync(marker), CultureInfo.InvariantCulture);
            Console.WriteLine($"  PostgreSQL loaded earlier (took {bench.LoadSeconds:F0} s)");
        }
        else
        {
            var watch = Stopwatch.StartNew();
            await bench.LoadAsync(set);
            bench.LoadSeconds = watch.Elapsed.TotalSeconds;
            await File.WriteAllTextAsync(marker, bench.LoadSeconds.ToString(CultureInfo.InvariantCulture));
            Console.WriteLine($"  PostgreSQL loaded in {bench.LoadSeconds:F0} s");
        }

        await bench.EachServerAsync("TRUNCATE imagesocial.timelines, imagesocial.feed_activity, imagesocial.feed_pulled");
        return bench;
    }

    /// <summary>The bytes of the timeline table with its indexes, on both servers.</summary>
    public async Task<long> TimelineBytesAsync()
    {
        long total = 0;
        foreach (var connection in connectionStrings.Values)
        {
            await using var c = new NpgsqlConnection(connection);
            await c.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_total_relation_size('imagesocial.timelines')", c);
            total += (long)(await command.ExecuteScalarAsync())!;
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        foreach (var server in servers)
        {
            server.Dispose();
        }
    }

    private async Task LoadAsync(FeedData set)
    {
        var userShard = set.UserIds.Select(SnowflakeId.GetLogicalShard).ToArray();
        var photosByShard = set.Photos.GroupBy(p => userShard[p.Owner]).ToDictionary(g => g.Key, g => g.ToList());
        var followersOf = new List<int>[set.UserIds.Length];
        for (var u = 0; u < set.UserIds.Length; u++)
        {
            foreach (var f in set.Following[u])
            {
                (followersOf[f] ??= []).Add(u);
            }
        }

        // One shard after another, the two servers' shards side by side.
        await Parallel.ForEachAsync(Enumerable.Range(0, Shards).GroupBy(s => Store.Map.GetServer(s)), async (server, ct) =>
        {
            await using var c = new NpgsqlConnection(connectionStrings[server.Key]);
            await c.OpenAsync(ct);
            foreach (var shard in server)
            {
                var schema = "shard_" + shard.ToString("D4", CultureInfo.InvariantCulture);
                var users = Enumerable.Range(0, set.UserIds.Length).Where(u => userShard[u] == shard).ToList();
                await CopyAsync(c, $"COPY {schema}.users(id, handle, display_name, is_private) FROM STDIN (FORMAT BINARY)", users, (w, u) =>
                {
                    w.Write(set.UserIds[u], NpgsqlDbType.Bigint);
                    w.Write("u" + u.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                    w.Write("", NpgsqlDbType.Text);
                    w.Write(false, NpgsqlDbType.Boolean);
                }, ct);
                var following = users.SelectMany(u => set.Following[u].Select(f => (u, f))).ToList();
                await CopyAsync(c, $"COPY {schema}.following(user_id, followee_id, state) FROM STDIN (FORMAT BINARY)", following, (w, e) =>
                {
                    w.Write(set.UserIds[e.u], NpgsqlDbType.Bigint);
                    w.Write(set.UserIds[e.f], NpgsqlDbType.Bigint);
                    w.Write((short)FollowState.Following, NpgsqlDbType.Smallint);
                }, ct);
                var followers = users.SelectMany(u => (followersOf[u] ?? []).Select(f => (u, f))).ToList();
                await CopyAsync(c, $"COPY {schema}.followers(user_id, follower_id, state) FROM STDIN (FORMAT BINARY)", followers, (w, e) =>
                {
                    w.Write(set.UserIds[e.u], NpgsqlDbType.Bigint);
                    w.Write(set.UserIds[e.f], NpgsqlDbType.Bigint);
                    w.Write((short)FollowState.Following, NpgsqlDbType.Smallint);
                }, ct);
                await CopyAsync(c, "COPY imagesocial.follower_index(user_id, follower_id, state, shard) FROM STDIN (FORMAT BINARY)", followers, (w, e) =>
                {
                    w.Write(set.UserIds[e.u], NpgsqlDbType.Bigint);
                    w.Write(set.UserIds[e.f], NpgsqlDbType.Bigint);
                    w.Write((short)FollowState.Following, NpgsqlDbType.Smallint);
                    w.Write(shard, NpgsqlDbType.Integer);
                }, ct);
                var photos = photosByShard.GetValueOrDefault(shard) ?? [];
                await CopyAsync(c, $"COPY {schema}.photos(id, owner_id, title, tags, visibility, format, width, height, orientation, frames, rendition_type, original_bytes) FROM STDIN (FORMAT BINARY)",
                    photos, (w, p) => WritePhoto(w, set, p, null), ct);
                await CopyAsync(c, "COPY imagesocial.photo_index(id, owner_id, title, tags, visibility, format, width, height, orientation, frames, rendition_type, original_bytes, shard, owner_private, title_words) FROM STDIN (FORMAT BINARY)",
                    photos, (w, p) => WritePhoto(w, set, p, shard), ct);
                Console.WriteLine($"  PostgreSQL shard {shard}: {users.Count:N0} users, {following.Count:N0} + {followers.Count:N0} edge rows, {photos.Count:N0} photos");
            }

            await using var analyze = new NpgsqlCommand("ANALYZE", c);
            analyze.CommandTimeout = 0;
            await analyze.ExecuteNonQueryAsync(ct);
        });
    }

    private static void WritePhoto(NpgsqlBinaryImporter w, FeedData set, (long Id, int Owner, int Visibility) photo, int? shard)
    {
        w.Write(photo.Id, NpgsqlDbType.Bigint);
        w.Write(set.UserIds[photo.Owner], NpgsqlDbType.Bigint);
        w.Write("", NpgsqlDbType.Text);
        w.Write(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        w.Write((short)photo.Visibility, NpgsqlDbType.Smallint);
        w.Write("jpeg", NpgsqlDbType.Text);
        w.Write(1600, NpgsqlDbType.Integer);
        w.Write(1200, NpgsqlDbType.Integer);
        w.Write(1, NpgsqlDbType.Integer);
        w.Write(1, NpgsqlDbType.Integer);
        w.Write("image/webp", NpgsqlDbType.Text);
        w.Write(100_000L, NpgsqlDbType.Bigint);
        if (shard is { } s)
        {
            w.Write(s, NpgsqlDbType.Integer);
            w.Write(false, NpgsqlDbType.Boolean);
            w.Write(NpgsqlTsVector.Empty, NpgsqlDbType.TsVector);
        }
    }

    private static async Task CopyAsync<T>(NpgsqlConnection c, string copy, IEnumerable<T> rows, Action<NpgsqlBinaryImporter, T> write, CancellationToken ct)
    {
        await using var writer = await c.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(ct);
            write(writer, row);
        }

        await writer.CompleteAsync(ct);
    }

    private async Task EachServerAsync(string sql)
    {
        foreach (var connection in connectionStrings.Values)
        {
            await using var c = new NpgsqlConnection(connection);
            await c.OpenAsync();
            await using var command = new NpgsqlCommand(sql, c);
            await command.ExecuteNonQueryAsync();
        }
    }
}
