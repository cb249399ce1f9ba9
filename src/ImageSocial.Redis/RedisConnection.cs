using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace ImageSocial.Redis;

/// <summary>The one StackExchange.Redis connection that the cache, the job queue and the timelines of a service provider share, with
/// every key and channel under <see cref="RedisOptions.KeyPrefix"/>.</summary>
/// <remarks>It connects on first use and never gives up: with <c>abortConnect=false</c> the multiplexer keeps reconnecting in the
/// background, so a Redis that was down at start-up, or that restarted (empty), is picked up again without a host restart. Commands fail
/// fast while there is no connection (<see cref="BacklogPolicy.FailFast"/>) instead of queueing, so that callers fall back at once.</remarks>
internal sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private readonly ConfigurationOptions configuration;
    private readonly Lazy<Task<ConnectionMultiplexer>> multiplexer;

    public RedisConnection(IOptions<RedisOptions> options, ILoggerFactory? loggerFactory)
    {
        Options = options.Value;
        configuration = ConfigurationOptions.Parse(Options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "imagesocial";
        configuration.ChannelPrefix = RedisChannel.Literal(Options.KeyPrefix);
        configuration.LoggerFactory ??= loggerFactory;
        multiplexer = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(configuration), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    internal RedisOptions Options { get; }

    /// <summary>The database with every key under the prefix.</summary>
    internal async ValueTask<IDatabase> DatabaseAsync()
    {
        var connection = await multiplexer.Value.ConfigureAwait(false);
        var database = connection.GetDatabase();
        return Options.KeyPrefix.Length == 0 ? database : database.WithKeyPrefix(Options.KeyPrefix);
    }

    /// <summary>The subscriber; channel names are prefixed by the configuration.</summary>
    internal async ValueTask<ISubscriber> SubscriberAsync() => (await multiplexer.Value.ConfigureAwait(false)).GetSubscriber();

    /// <summary>Whether a connection is up now (without waiting for one).</summary>
    internal bool IsConnected => multiplexer.IsValueCreated && multiplexer.Value is { IsCompletedSuccessfully: true } task && task.Result.IsConnected;

    /// <summary>Round-trips a PING: the health check.</summary>
    internal async Task<TimeSpan> PingAsync() => await (await DatabaseAsync().ConfigureAwait(false)).PingAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (multiplexer.IsValueCreated && multiplexer.Value.IsCompletedSuccessfully)
        {
            await multiplexer.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (multiplexer.IsValueCreated && multiplexer.Value.IsCompletedSuccessfully)
        {
            multiplexer.Value.Result.Dispose();
        }
    }
}
