namespace ImageSocial;

/// <summary>Copies an upload's first bytes and then the rest of its stream into another stream, refusing it as soon as it passes a limit,
/// so that an oversized upload is never read whole.</summary>
internal static class BoundedCopy
{
    /// <returns>How many bytes were copied.</returns>
    /// <exception cref="InputTooLargeException">The content is longer than <paramref name="maxBytes"/>; <paramref name="what"/> names it.</exception>
    internal static async Task<long> CopyAsync(ReadOnlyMemory<byte> head, Stream content, Stream output, long maxBytes, string what, CancellationToken cancellationToken)
    {
        long length = head.Length;
        await output.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
            if (length > maxBytes)
            {
                throw new InputTooLargeException($"The {what} is over the limit of {maxBytes} bytes.");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return length;
    }
}
