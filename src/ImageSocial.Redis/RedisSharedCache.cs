using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ImageSocial.Redis;

/// <summary>The shared cache on Redis: one round trip per read (a script returns each key's version and the entry stored under it), entries
/// written only while their version is still current, invalidation by giving keys a fresh random version.</summary>
/// <remarks>
/// <para>Keys: <c>c:gen</c> holds the cache's generation; <c>c:{key}</c> holds a key's version; <c>c:{key}|{generation}|{version}</c> holds
/// its entry. Versions are random tokens, never counters, so a version lost to a restart, an eviction or an expiry can never come back and
/// match an old entry. Entries expire by their own time to live; versions after a day without use.</para>
/// <para>An invalidation that cannot be delivered (Redis unreachable) leaves this instance owing one: until it has replaced the generation
/// (which makes every entry unreachable) it answers every read with "unavailable", so neither it nor, once Redis is back, any other host
/// serves an entry the lost invalidation should have removed.</para>
/// </remarks>
internal sealed partial class RedisSharedCache(RedisConnection connection, ILogger<RedisSharedCache> logger) : ISharedCache
{
    private const string Generation = "c:gen";
    private static readonly TimeSpan VersionLifetime = TimeSpan.FromDays(1);
    private static readonly RedisValue VersionSeconds = (long)VersionLifetime.TotalSeconds;
    private static readonly long FlushRetryTicks = TimeSpan.FromMilliseconds(250).Ticks;

    private const string ReadScript = """
        local gen = redis.call('GET', KEYS[1])
        if not gen then
          gen = ARGV[1]
          redis.call('SET', KEYS[1], gen)
        end
        local out = {gen}
        for i = 2, #KEYS do
          local v = redis.call('GET', KEYS[i])
          if not v then
            v = ARGV[1] .. '.' .. i
            redis.call('SET', KEYS[i], v, 'EX', ARGV[2])
          end
          local version = gen .. '|' .. v
          out[2 * i - 2] = version
          out[2 * i - 1] = redis.call('GET', KEYS[i] .. '|' .. version) or 0
        end
        return out
        """;

    private const string WriteScript = """
        local gen = redis.call('GET', KEYS[1])
        if not gen then return 0 end
        local n = 0
        for i = 2, #KEYS do
          local v = redis.call('GET', KEYS[i])
          local want = ARGV[3 * i - 5]
          if v and (gen .. '|' .. v) == want then
            redis.call('SET', KEYS[i] .. '|' .. want, ARGV[3 * i - 4], 'PX', ARGV[3 * i - 3])
            n = n + 1
          end
        end
        return n
        """;

    private const string InvalidateScript = """
        for i = 1, #KEYS do
          redis.call('SET', KEYS[i], ARGV[1] .. '.' .. i, 'EX', ARGV[2])
        end
        return #KEYS
        """;

    private int owesFlush;
    private long nextFlushAttempt;

    /// <summary>Whether this instance owes an invalidation it could not deliver (and so reads nothing from the cache).</summary>
    internal bool OwesInvalidation => Volatile.Read(ref owesFlush) == 1;

    public async Task<IReadOnlyList<CachedValue>?> GetAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0 || (OwesInvalidation && !await TryFlushAsync().ConfigureAwait(false)))
        {
            return keys.Count == 0 ? [] : null;
        }

        try
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            var result = (RedisResult[])(await RedisTelemetry.RunAsync("CacheGet", () => database.ScriptEvaluateAsync(ReadScript,
                [Generation, .. keys.Select(VersionKey)], [NewToken(), VersionSeconds])).WaitAsync(cancellationToken).ConfigureAwait(false))!;
            var values = new CachedValue[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                // A missing entry comes back as the integer 0 (an entry is always a string), the same under RESP2 and RESP3.
                var entry = result[(2 * i) + 2];
                var missing = entry.Resp2Type == ResultType.Integer;
                values[i] = new CachedValue((string)result[(2 * i) + 1]!, missing ? (ReadOnlyMemory<byte>?)null : (byte[])entry!);
            }

            return values;
        }
        catch (RedisProviderException)
        {
            return null;
        }
    }

    public async Task SetAsync(IReadOnlyList<CacheWrite> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0 || OwesInvalidation)
        {
            return;
        }

        var arguments = new RedisValue[entries.Count * 3];
        for (var i = 0; i < entries.Count; i++)
        {
            var ttl = entries[i].TimeToLive < VersionLifetime ? entries[i].TimeToLive : VersionLifetime;
            (arguments[3 * i], arguments[(3 * i) + 1], arguments[(3 * i) + 2]) = (entries[i].Version, entries[i].Value, Math.Max(1L, (long)ttl.TotalMilliseconds));
        }

        try
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            await RedisTelemetry.RunAsync("CacheSet", () => database.ScriptEvaluateAsync(WriteScript, [Generation, .. entries.Select(e => VersionKey(e.Key))], arguments))
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisProviderException)
        {
            // Best effort: the stores hold the data, and the next read loads it again.
        }
    }

    public async Task InvalidateAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        try
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            // Not cancellable: the write this follows has committed, and an invalidation given up half-way is one owed.
            await RedisTelemetry.RunAsync("CacheInvalidate", () => database.ScriptEvaluateAsync(InvalidateScript, [.. keys.Select(VersionKey)], [NewToken(), VersionSeconds]))
                .ConfigureAwait(false);
        }
        catch (RedisProviderException ex)
        {
            if (Interlocked.Exchange(ref owesFlush, 1) == 0)
            {
                LogInvalidationOwed(ex, keys.Count);
            }
        }
    }

    /// <summary>Pays an owed invalidation by replacing the generation (at most every 250 ms while Redis stays away).</summary>
    private async Task<bool> TryFlushAsync()
    {
        var now = DateTime.UtcNow.Ticks;
        var next = Interlocked.Read(ref nextFlushAttempt);
        if (now < next || Interlocked.CompareExchange(ref nextFlushAttempt, now + FlushRetryTicks, next) != next)
        {
            return false;
        }

        try
        {
            var database = await connection.DatabaseAsync().ConfigureAwait(false);
            await RedisTelemetry.RunAsync("CacheFlush", () => database.StringSetAsync(Generation, NewToken())).ConfigureAwait(false);
            Volatile.Write(ref owesFlush, 0);
            LogFlushed();
            return true;
        }
        catch (RedisProviderException)
        {
            return false;
        }
    }

    private static RedisKey VersionKey(string key) => "c:" + key;

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLower(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Redis did not take the invalidation of {Count} cache keys; this host reads from the stores until it has invalidated the whole cache.")]
    private partial void LogInvalidationOwed(Exception exception, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Redis is back: the whole cache was invalidated to pay the invalidations it missed.")]
    private partial void LogFlushed();
}
