using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Options;

namespace ImageSocial.Redis.Tests;

/// <summary>One Redis server for the test assembly; each test takes its own key prefix. Tests that kill Redis start their own.</summary>
public sealed class RedisFixture : IDisposable
{
    public RedisServer Server { get; } = RedisServer.Start();

    public RedisOptions NewOptions() => new() { Configuration = Server.Configuration, KeyPrefix = RedisServer.NewPrefix() };

    internal RedisConnection NewConnection(RedisOptions? options = null) => new(Options.Create(options ?? NewOptions()), null);

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
