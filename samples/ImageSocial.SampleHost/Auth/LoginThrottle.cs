using System.Collections.Concurrent;
using ImageSocial.SampleHost.Api;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Auth;

/// <summary>Failed sign-ins per account: past <see cref="RateLimitOptions.LoginFailuresPerAccount"/> within
/// <see cref="RateLimitOptions.LoginFailureWindow"/>, the account's token requests get 429 until the oldest failure leaves the window,
/// whatever address they come from (the per-address limit alone lets a botnet guess one account's password). A success clears the count.</summary>
/// <remarks>Kept per host, in memory: with several hosts an attacker gets the allowance once per host.</remarks>
internal sealed class LoginThrottle(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the account must wait, or <see langword="null"/> when it may try now.</summary>
    public TimeSpan? RetryAfter(string username)
    {
        if (!failures.TryGetValue(username, out var recent))
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (recent)
        {
            Expire(recent, now);
            return recent.Count >= options.Value.LoginFailuresPerAccount ? recent.Peek() + options.Value.LoginFailureWindow - now : null;
        }
    }

    public void Failed(string username)
    {
        var now = time.GetUtcNow();
        if (failures.Count > 100_000)
        {
            foreach (var (name, queue) in failures)
            {
                lock (queue)
                {
                    Expire(queue, now);
                    if (queue.Count == 0)
                    {
                        failures.TryRemove(name, out _);
                    }
                }
            }
        }

        var recent = failures.GetOrAdd(username, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            Expire(recent, now);
            recent.Enqueue(now);
        }
    }

    public void Succeeded(string username) => failures.TryRemove(username, out _);

    private void Expire(Queue<DateTimeOffset> recent, DateTimeOffset now)
    {
        while (recent.Count > 0 && recent.Peek() + options.Value.LoginFailureWindow <= now)
        {
            recent.Dequeue();
        }
    }
}
