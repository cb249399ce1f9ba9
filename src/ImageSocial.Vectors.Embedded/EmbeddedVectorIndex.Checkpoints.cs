using System.Text;

namespace ImageSocial.Vectors.Embedded;

/// <remarks>A checkpoint is a small file beside the snapshot (<c>index.{name}.checkpoint</c>), replaced atomically. Every write before
/// it is already in the log (flushed to disk when <see cref="EmbeddedVectorIndexOptions.DurableWrites"/> is on), so a crash can only
/// leave the checkpoint behind the data, never ahead of it; deleting the index's folder deletes its checkpoints with it.</remarks>
public sealed partial class EmbeddedVectorIndex : IVectorIndexCheckpoint
{
    /// <inheritdoc />
    public async Task<string?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = CheckpointPath(name);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <inheritdoc />
    public async Task SetCheckpointAsync(string name, string position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(position);
        var path = CheckpointPath(name);
        var temporary = path + ".tmp";
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(position), cancellationToken).ConfigureAwait(false);
            if (options.DurableWrites)
            {
                stream.Flush(flushToDisk: true);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private string CheckpointPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            throw new ValidationException("A checkpoint name is ASCII letters, digits and '-'.") { ParameterName = nameof(name) };
        }

        return Path.ChangeExtension(snapshotPath, $".{name}.checkpoint");
    }
}
