namespace ImageSocial;

/// <summary>Binary objects by key. Keys are '/'-separated segments of letters, digits, '.', '-' and '_', none starting with '.'.</summary>
/// <remarks>Implementations are thread-safe; a put is atomic (a reader sees the old bytes or the new ones).</remarks>
public interface IBlobStore
{
    /// <summary>Stores bytes under a key, replacing what was there.</summary>
    /// <param name="key">The key.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="contentType">The MIME type.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">The key is not valid.</exception>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Stores what a stream holds under a key, replacing what was there, without holding it all in memory (large objects go up
    /// in parts); the object appears whole or not at all.</summary>
    /// <param name="key">The key.</param>
    /// <param name="content">The bytes, read from the stream's current position to its end; the caller keeps and disposes the stream.</param>
    /// <param name="contentType">The MIME type.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests; a cancelled upload leaves
    /// nothing behind.</param>
    /// <exception cref="ValidationException">The key is not valid.</exception>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Opens a stored object, or returns <see langword="null"/> when there is none. The caller disposes the stream.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<BlobContent?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Whether an object exists.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object; idempotent.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether an object was deleted.</returns>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists keys under a prefix, in no particular order.</summary>
    /// <param name="prefix">The prefix, ending with '/' to list a folder, or empty for everything.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>A URL that reads the object until <paramref name="timeToLive"/> passes (presigned or HMAC-signed).</summary>
    /// <param name="key">The key.</param>
    /// <param name="timeToLive">How long the URL works.</param>
    /// <param name="options">The content type and disposition the response should carry, or <see langword="null"/> for the stored ones.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Uri> GetReadUrlAsync(string key, TimeSpan timeToLive, BlobReadOptions? options = null, CancellationToken cancellationToken = default);
}
