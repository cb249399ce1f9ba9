using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageSocial.Storage.Postgres.Tests;

/// <summary>The cases a naive tailer gets wrong: a transaction that took its change's sequence number first commits last, and transaction
/// ids that gain a digit.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ChangeFeedCommitOrderTests(PostgresServers servers)
{
    [Fact]
    public async Task A_change_committed_after_a_later_one_is_never_skipped()
    {
        var options = servers.NewOptions();
        using var store = new PostgresMetadataStore(Options.Create(options));
        var stores = MetadataStores.Of(store);
        var owner = await stores.UserAsync("late");
        var (slow, fast) = (await stores.PhotoAsync(owner, "slow"), await stores.PhotoAsync(owner, "fast"));
        var position = (await store.ReadChangesAsync(null, 1000)).Position;

        // The slow writer changes its photo first (its change row gets the lower sequence number) and keeps its transaction open.
        var server = options.Servers.Single(s => s.Name == store.Map.GetServer(owner.Id.LogicalShard));
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var slowWrite = await connection.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE imagesocial.photo_index SET tags = '{slow}' WHERE id = $1", connection, slowWrite))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = slow.Id.Value });
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        // The fast writer commits a change with a higher sequence number; a reader now must not move past the slow one's.
        await store.UpdateAsync(fast.Id, new PhotoUpdate(Tags: ["fast"]), []);
        var meanwhile = await store.ReadChangesAsync(position, 1000);
        Assert.Empty(meanwhile.Photos);

        await slowWrite.CommitAsync();
        // Both are readable once no older writing transaction runs on the server (another one there can hold the feed for a moment).
        var after = await store.ReadChangesAsync(meanwhile.Position, 1000);
        for (var deadline = DateTime.UtcNow.AddMinutes(1); after.Photos.Count == 0 && DateTime.UtcNow < deadline; after = await store.ReadChangesAsync(meanwhile.Position, 1000))
        {
            await Task.Delay(50);
        }

        Assert.Equal([slow.Id, fast.Id], after.Photos);
        Assert.Empty((await store.ReadChangesAsync(after.Position, 1000)).Photos);
    }

    [Fact]
    public async Task Changes_on_both_sides_of_a_transaction_id_that_gains_a_digit_are_read_in_order()
    {
        var options = servers.NewOptions();
        using var store = new PostgresMetadataStore(Options.Create(options));
        var stores = MetadataStores.Of(store);
        var owner = await stores.UserAsync("digits");
        var photo = await stores.PhotoAsync(owner, "digits");
        var position = (await store.ReadChangesAsync(null, 1000)).Position;

        // Bring the photo's server three transaction ids short of the next power of ten (subtransactions take ids from the same counter),
        // so that the writes below straddle it: as text, "100000" sorts before "99999" — the feed once ordered by that text and skipped.
        var server = store.Map.GetServer(owner.Id.LogicalShard) == options.Servers[0].Name ? servers.A : servers.B;
        var database = PostgresServers.DatabaseOf(options);
        var next = (long)Math.Pow(10, Math.Floor(Math.Log10(server.Scalar<long>("SELECT pg_current_xact_id()::text::bigint", database))) + 1);
        server.Execute($$"""
            CREATE TEMP TABLE burn(x int);
            DO $$ BEGIN
                FOR i IN 1..{{next}} - 4 - pg_current_xact_id()::text::bigint LOOP
                    BEGIN INSERT INTO burn VALUES (i); EXCEPTION WHEN others THEN NULL; END;
                END LOOP;
            END $$;
            """, database);

        const int Writes = 8;
        for (var v = 1; v <= Writes; v++)
        {
            await store.UpdateAsync(photo.Id, new PhotoUpdate(Tags: [$"v{v}"]), []);
        }

        var below = server.Scalar<long>($"SELECT count(*) FROM imagesocial.photo_changes WHERE photo_id = {photo.Id.Value} AND xid < '{next}'::xid8", database);
        var above = server.Scalar<long>($"SELECT count(*) FROM imagesocial.photo_changes WHERE photo_id = {photo.Id.Value} AND xid >= '{next}'::xid8", database);
        Assert.True(below > 1 && above >= 1, $"the writes did not straddle {next}: {below} below, {above} above");

        // One change per page (the smallest page gives each server one row), until every write was read or a deadline passes.
        var seen = new List<PhotoId>();
        for (var deadline = DateTime.UtcNow.AddMinutes(1); seen.Count < Writes && DateTime.UtcNow < deadline;)
        {
            var page = await store.ReadChangesAsync(position, 1);
            (seen, position) = ([.. seen, .. page.Photos], page.Position);
            if (page.Photos.Count == 0)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(Enumerable.Repeat(photo.Id, Writes), seen);
        Assert.Empty((await store.ReadChangesAsync(position, 1000)).Photos);
    }
}
