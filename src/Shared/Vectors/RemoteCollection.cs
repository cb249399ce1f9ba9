namespace ImageSocial.Shared.Vectors;

/// <summary>What a remote vector index knows of its collection: whether it exists and its dimension, learned from the server once
/// (another host may have created it), and its creation by the first write, once per process.</summary>
/// <remarks>Shared source, compiled into each remote vector provider.</remarks>
/// <param name="describe">Asks the server for the collection's dimension; <see langword="null"/> when the collection does not exist.</param>
internal sealed class RemoteCollection(Func<CancellationToken, Task<int?>> describe) : IDisposable
{
    private readonly SemaphoreSlim creating = new(1, 1);
    private int dimension;

    /// <summary>The collection's dimension, or 0 while it is not known to exist.</summary>
    public int Dimension => Volatile.Read(ref dimension);

    /// <summary>Whether the collection exists; asks the server until it does.</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        if (Dimension != 0)
        {
            return true;
        }

        if (await describe(cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return false;
        }

        Volatile.Write(ref dimension, found);
        return true;
    }

    /// <summary>Creates the collection with <paramref name="create"/> (given the size) when it does not exist, or checks a batch of
    /// <paramref name="size"/> dimensions against the one there.</summary>
    /// <exception cref="ValidationException">The collection holds another dimension.</exception>
    public async Task EnsureAsync(int size, Func<int, CancellationToken, Task> create, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await creating.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
                {
                    await create(size, cancellationToken).ConfigureAwait(false);
                    Volatile.Write(ref dimension, size);
                }
            }
            finally
            {
                creating.Release();
            }
        }

        VectorChecks.SameDimension(size, Dimension);
    }

    /// <summary>Forgets the collection (it was dropped).</summary>
    public void Forget() => Volatile.Write(ref dimension, 0);

    public void Dispose() => creating.Dispose();
}
