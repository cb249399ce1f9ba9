using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageSocial.Storage.Postgres.Tests;

/// <summary>The case a sequence-ordered tailer gets wrong: a transaction that took its change's sequence number first commits last.</summary>
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
}
