namespace ImageSocial.Redis;

/// <summary>A Redis call failed (the server is unreachable, timed out or answered an error). The cache never raises it (it falls back to
/// the stores); the timelines and the job queue do where no fallback exists.</summary>
public sealed class RedisProviderException(string message, Exception innerException) : ImageSocialException(message, innerException)
{
    /// <inheritdoc />
    /// <remarks>Connection failures and timeouts: the same call may work once the server is back.</remarks>
    public override bool IsTransient => InnerException is StackExchange.Redis.RedisConnectionException or StackExchange.Redis.RedisTimeoutException || base.IsTransient;
}
