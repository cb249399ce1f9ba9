namespace ImageSocial;

/// <summary>An opened blob. Disposing it closes the stream.</summary>
/// <param name="Content">The bytes, read from the start.</param>
/// <param name="ContentType">The MIME type given when it was stored.</param>
/// <param name="Length">The size in bytes.</param>
public sealed record BlobContent(Stream Content, string ContentType, long Length) : IDisposable, IAsyncDisposable
{
    /// <inheritdoc />
    public void Dispose() => Content.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
