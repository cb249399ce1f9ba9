using ImageSocial.Storage.Postgres;

namespace ImageSocial.Benchmarks;

/// <summary>The feed benchmark's PostgreSQL deployment: two servers on this machine.</summary>
internal sealed class FeedPostgres : IAsyncDisposable
{
    public required PostgresMetadataStore Store { get; init; }

    public double LoadSeconds { get; init; }

    public static Task<FeedPostgres> OpenAsync(FeedData set, string data, FeedOptions options) => throw new NotSupportedException("not yet");

    public Task<long> TimelineBytesAsync() => throw new NotSupportedException();

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
