using ImageSocial.ConformanceTests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Sqlite.Tests;

public class SqliteSpecificTests
{
    [Fact]
    public async Task Schema_is_versioned_and_reopening_keeps_data()
    {
        using var folder = new TemporaryDirectory();
        var options = Options.Create(new SqliteStoreOptions { DatabasePath = folder.File("a.db") });
        var user = new User(new UserId(MetadataStores.NewId()), "keep", "Keep", false);
        using (var store = new SqliteMetadataStore(options))
        {
            await store.CreateAsync(user);
        }

        using var reopened = new SqliteMetadataStore(options);
        Assert.Equal(user, await reopened.GetAsync(user.Id));
        using var connection = new SqliteConnection($"Data Source={folder.File("a.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        Assert.Equal((long)SqliteMetadataStore.SchemaVersion, command.ExecuteScalar());
    }

    [Fact]
    public void Full_text_query_keeps_only_quoted_words()
    {
        Assert.Equal("\"Sunset\" \"pier\"*", FullTextQuery.Build("Sunset; pier"));
        Assert.Equal("\"a\" \"OR\" \"b\"*", FullTextQuery.Build("\"a\" OR b"));
        Assert.Null(FullTextQuery.Build("\"*()^"));
    }

    [Fact]
    public async Task Concurrent_writes_commit_together_and_a_failing_one_rolls_back_alone()
    {
        using var folder = new TemporaryDirectory();
        var options = Options.Create(new SqliteStoreOptions { DatabasePath = folder.File("group.db") });
        var users = Enumerable.Range(0, 200).Select(i => new User(new UserId(MetadataStores.NewId()), $"user{i % 150}", $"User {i}", false)).ToList();
        var outcomes = new List<Task>();
        using (var store = new SqliteMetadataStore(options))
        {
            // 50 of the 200 reuse a handle: those fail with a conflict, wherever they land in a group, and nothing else does.
            outcomes.AddRange(users.Select(u => Task.Run(() => store.CreateAsync(u))));
            await Task.WhenAll(outcomes.Select(o => o.ContinueWith(_ => { }, TaskScheduler.Default)));
            using var canceled = new CancellationTokenSource();
            await canceled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CreateAsync(new User(new UserId(MetadataStores.NewId()), "never", "Never", false), null, canceled.Token));
        }

        Assert.Equal(150, outcomes.Count(o => o.IsCompletedSuccessfully));
        Assert.All(outcomes.Where(o => !o.IsCompletedSuccessfully), o => Assert.IsType<ConflictException>(o.Exception!.InnerException));
        using var reopened = new SqliteMetadataStore(options); // every acknowledged write is on disk
        var stored = await reopened.GetManyAsync(users.Select(u => u.Id).ToList());
        Assert.Equal(150, stored.Count);
        Assert.Equal(150, stored.Values.Select(u => u.Handle).Distinct().Count());
        Assert.Null(await reopened.GetByHandleAsync("never"));
    }
}
