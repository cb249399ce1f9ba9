using ImageSocial.Testing.Servers;
using ImageSocial.Admin;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ShardToolTests(PostgresServers servers)
{
    [Fact]
    public async Task Map_and_move_from_the_command_line()
    {
        var options = servers.NewOptions(shards: 8);
        using (var store = new PostgresMetadataStore(Options.Create(options)))
        {
            var owner = ShardingTests.NewUser("cli", 6);
            await store.CreateAsync(owner);
            await store.CreateAsync(ShardingTests.NewPhoto(owner, "kept"), []);
        }

        string[] Servers() => ["--shards", "8", "--server", "a=" + options.Servers[0].ConnectionString, "--server", "b=" + options.Servers[1].ConnectionString];
        var (code, output, _) = await RunAsync(["map", .. Servers()]);
        Assert.Equal(0, code);
        Assert.Contains("a: 4 shards: 0, 2, 4, 6", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(["move", "--shard", "6", "--to", "b", .. Servers()]);
        Assert.Equal(0, code);
        Assert.Contains("moved shard 6 from a to b", output, StringComparison.Ordinal);
        Assert.Contains("fencing writes", output, StringComparison.Ordinal);
        Assert.Matches(@"photos\s+1 rows", output);

        (code, output, _) = await RunAsync(["map", .. Servers()]);
        Assert.Contains("b: 5 shards", output, StringComparison.Ordinal);

        var error = "";
        (code, _, error) = await RunAsync(["move", "--shard", "6", "--to", "nowhere", .. Servers()]);
        Assert.Equal(1, code);
        Assert.Contains("nowhere", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync(["move", "--to", "a", .. Servers()]);
        Assert.Equal(2, code);
        Assert.Contains("--shard is required", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminTool.RunAsync(["shards", .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
