using System.Globalization;
using ImageSocial.Shared.Jobs;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ImageSocial.Redis;

/// <summary>Hands due outbox work to the runners of every host through a Redis stream and a consumer group; the outbox stays the durable
/// record and its leases decide who runs a message.</summary>
/// <remarks>
/// <para>A pump on every host claims due messages from the outbox under the dispatcher's name (a lease of <see cref="HandOverLease"/>) and
/// adds one stream entry per message, up to <see cref="RedisOptions.JobStreamLength"/> waiting entries, then publishes a wake-up on a
/// channel every host listens to. A runner reads entries with its consumer name, takes the messages over in the outbox
/// (<see cref="IOutbox.ClaimByIdAsync"/>: only if no live runner holds them, so nothing runs twice at once), and acknowledges and deletes
/// the entries when it is done. A restarted runner (same name) first re-reads its own pending entries; entries pending with a consumer idle
/// longer than <see cref="RedisOptions.JobClaimIdle"/> are claimed by another (XAUTOCLAIM).</para>
/// <para>Redis holds nothing that matters: an entry whose message is gone or held elsewhere is just acknowledged. If Redis restarts empty
/// the dispatcher's leases are released and the pump adds the messages again; while Redis cannot be reached, runners claim from the outbox
/// directly, as without Redis.</para>
/// </remarks>
internal sealed partial class RedisJobQueue : IJobQueue, IAsyncDisposable
{
    /// <summary>The owner name the pumps claim messages under in the outbox.</summary>
    internal const string Dispatcher = "redis-dispatch";

    /// <summary>How long a message the pump claimed stays reserved for the stream's consumers.</summary>
    internal static readonly TimeSpan HandOverLease = TimeSpan.FromMinutes(1);

    private const string Stream = "jobs";
    private const string Group = "runners";
    private const string Channel = "jobs";
    private const string MessageField = "m";
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(250);

    private readonly RedisConnection connection;
    private readonly IOutbox outbox;
    private readonly TimeProvider time;
    private readonly ILogger<RedisJobQueue> logger;
    private readonly JobSignal work = new();
    private readonly JobSignal pumpWake = new();
    private readonly Dictionary<long, RedisValue> entries = [];
    private readonly Lock entriesGate = new();
    private readonly CancellationTokenSource stopping = new();
    private Task pump = Task.CompletedTask;
    private RedisValue? ownPendingFrom = StreamPosition.Beginning;
    private volatile bool groupReady;
    private long nextAutoClaim;
    private int fallingBack;
    private int disposed;

    public RedisJobQueue(RedisConnection connection, IOutbox outbox, TimeProvider time, ILogger<RedisJobQueue> logger)
    {
        (this.connection, this.outbox, this.time, this.logger) = (connection, outbox, time, logger);
    }

    public async Task StartAsync(string runner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runner);
        // Claims the previous incarnation leased straight from the outbox come back at once; its stream entries are re-read below.
        await outbox.ReleaseAsync(runner, cancellationToken).ConfigureAwait(false);
        ownPendingFrom = StreamPosition.Beginning;
        try
        {
            var subscriber = await connection.SubscriberAsync().ConfigureAwait(false);
            await subscriber.SubscribeAsync(RedisChannel.Literal(Channel), (_, _) => work.Notify()).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisTelemetry.IsUnavailable(ex))
        {
            // The multiplexer re-subscribes when it reconnects; until then the runners poll.
            LogUnavailable(ex);
        }

        lock (entriesGate)
        {
            if (pump.IsCompleted)
            {
                pump = Task.Run(() => PumpAsync(stopping.Token), CancellationToken.None);
            }
        }
    }

    public async Task<IReadOnlyList<OutboxMessage>> TakeAsync(string runner, int max, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StreamEntry> read;
        try
        {
            read = await ReadAsync(runner, max).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Interlocked.Exchange(ref fallingBack, 0) == 1)
            {
                LogBack();
            }
        }
        catch (RedisProviderException ex)
        {
            if (Interlocked.Exchange(ref fallingBack, 1) == 0)
            {
                LogFallingBack(ex);
            }

            return await outbox.ClaimAsync(runner, max, time.GetUtcNow(), leaseUntil, cancellationToken).ConfigureAwait(false);
        }

        if (read.Count == 0)
        {
            return [];
        }

        var byMessage = new Dictionary<long, RedisValue>();
        var stray = new List<RedisValue>();
        lock (entriesGate)
        {
            foreach (var entry in read)
            {
                // A second entry for a message this host already works on (the pump handed it out again) is only acknowledged.
                if (long.TryParse((string?)entry[MessageField], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !entries.ContainsKey(id)
                    && byMessage.TryAdd(id, entry.Id))
                {
                    continue;
                }

                stray.Add(entry.Id);
            }
        }

        var taken = await outbox.ClaimByIdAsync([.. byMessage.Keys], runner, Dispatcher, time.GetUtcNow(), leaseUntil, cancellationToken).ConfigureAwait(false);
        var takenIds = taken.Select(m => m.Id).ToHashSet();
        lock (entriesGate)
        {
            foreach (var message in taken)
            {
                entries[message.Id] = byMessage[message.Id];
            }
        }

        // Completed, dead, not due, or held by a live runner: nothing to do here (a runner that dies lets its lease run out, and the pump
        // hands the message out again).
        stray.AddRange(byMessage.Where(m => !takenIds.Contains(m.Key)).Select(m => m.Value));
        await AcknowledgeAsync(stray).ConfigureAwait(false);
        return taken;
    }

    public async Task FinishAsync(string runner, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var done = new List<RedisValue>();
        lock (entriesGate)
        {
            foreach (var message in messages)
            {
                if (entries.Remove(message.Id, out var entry))
                {
                    done.Add(entry);
                }
            }
        }

        await AcknowledgeAsync(done).ConfigureAwait(false);
        pumpWake.Notify();
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => work.WaitAsync(timeout, cancellationToken);

    public void Notify()
    {
        pumpWake.Notify();
        work.Notify();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        stopping.Dispose();
    }

    /// <summary>This consumer's own pending entries first (after a restart), then entries a silent consumer left pending, then new ones.</summary>
    private Task<IReadOnlyList<StreamEntry>> ReadAsync(string runner, int max) => RedisTelemetry.RunAsync<IReadOnlyList<StreamEntry>>("JobRead", async () =>
    {
        var database = await connection.DatabaseAsync().ConfigureAwait(false);
        await EnsureGroupAsync(database).ConfigureAwait(false);
        try
        {
            // Once after a start, page through the entries this consumer name left pending (a previous incarnation's work).
            if (ownPendingFrom is { } from)
            {
                var own = await database.StreamReadGroupAsync(Stream, Group, runner, from, max).ConfigureAwait(false);
                ownPendingFrom = own.Length > 0 ? own[^1].Id : (RedisValue?)null;
                if (own.Length > 0)
                {
                    return own;
                }
            }

            var now = Environment.TickCount64;
            if (now >= Interlocked.Read(ref nextAutoClaim))
            {
                Interlocked.Exchange(ref nextAutoClaim, now + (long)(connection.Options.JobClaimIdle.TotalMilliseconds / 3));
                var claimed = await database.StreamAutoClaimAsync(Stream, Group, runner, (long)connection.Options.JobClaimIdle.TotalMilliseconds, "0-0", max).ConfigureAwait(false);
                if (claimed.ClaimedEntries.Length > 0)
                {
                    return claimed.ClaimedEntries.Where(e => !e.IsNull).ToList();
                }
            }

            return await database.StreamReadGroupAsync(Stream, Group, runner, StreamPosition.NewMessages, max).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            // Redis restarted empty: the stream and everything in it are gone. Release the dispatcher's claims so the pump hands the
            // messages out again now rather than when their leases run out.
            groupReady = false;
            LogStreamLost();
            await outbox.ReleaseAsync(Dispatcher, CancellationToken.None).ConfigureAwait(false);
            pumpWake.Notify();
            return [];
        }
    });

    private async Task EnsureGroupAsync(IDatabase database)
    {
        if (groupReady)
        {
            return;
        }

        try
        {
            await database.StreamCreateConsumerGroupAsync(Stream, Group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another host (or an earlier start) made it.
        }

        groupReady = true;
    }

    private async Task AcknowledgeAsync(List<RedisValue> done)
    {
        if (done.Count == 0)
        {
            return;
        }

        try
        {
            await RedisTelemetry.RunAsync("JobAcknowledge", async () =>
            {
                var database = await connection.DatabaseAsync().ConfigureAwait(false);
                var ids = done.ToArray();
                await database.StreamAcknowledgeAsync(Stream, Group, ids).ConfigureAwait(false);
                await database.StreamDeleteAsync(Stream, ids).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (RedisProviderException)
        {
            // An entry left pending is claimed again later and found finished: acknowledged then.
        }
    }

    /// <summary>Moves due messages from the outbox into the stream while it has room, and wakes every host's runners.</summary>
    private async Task PumpAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var added = await PumpOnceAsync(stop).ConfigureAwait(false);
                if (added == 0)
                {
                    await pumpWake.WaitAsync(PumpInterval, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPumpFailed(ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task<int> PumpOnceAsync(CancellationToken stop)
    {
        var database = await connection.DatabaseAsync().ConfigureAwait(false);
        var waiting = await RedisTelemetry.RunAsync("JobBacklog", () => database.StreamLengthAsync(Stream)).ConfigureAwait(false);
        var room = (int)Math.Min(256, connection.Options.JobStreamLength - waiting);
        if (room <= 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var due = await outbox.ClaimAsync(Dispatcher, room, now, now + HandOverLease, stop).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return 0;
        }

        try
        {
            await RedisTelemetry.RunAsync("JobHandOver", async () =>
            {
                var batch = database.CreateBatch();
                var adds = due.Select(m => batch.StreamAddAsync(Stream, MessageField, m.Id.ToString(CultureInfo.InvariantCulture))).ToList();
                batch.Execute();
                await Task.WhenAll(adds).ConfigureAwait(false);
                var subscriber = await connection.SubscriberAsync().ConfigureAwait(false);
                await subscriber.PublishAsync(RedisChannel.Literal(Channel), due.Count).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (RedisProviderException)
        {
            // Redis went away between the claim and the hand-over: give every dispatcher claim back, so that runners falling back to the
            // outbox take the messages now.
            await outbox.ReleaseAsync(Dispatcher, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        work.Notify();
        return due.Count;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Redis is unavailable to the job queue; runners claim from the outbox directly until it is back.")]
    private partial void LogFallingBack(Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Redis is back: jobs are handed out through its stream again.")]
    private partial void LogBack();

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "The job stream is gone (Redis restarted empty); the messages it held are handed out again.")]
    private partial void LogStreamLost();

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Handing due jobs over to Redis failed; retrying.")]
    private partial void LogPumpFailed(Exception exception);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Redis is unavailable while the job queue starts; runners poll until it is back.")]
    private partial void LogUnavailable(Exception exception);
}
