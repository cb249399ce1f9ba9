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
}
