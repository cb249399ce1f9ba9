namespace ImageSocial;

/// <summary>What one backup holds, written as <c>manifest.json</c> at its root: the metadata copy's files and row counts, every blob
/// (key, type, size, SHA-256 of its bytes, which is also where its bytes are kept in the repository) and the totals.</summary>
/// <param name="Format">The manifest format (1).</param>
/// <param name="Id">The backup's id: its folder's name in the repository (UTC time, sortable).</param>
/// <param name="CreatedAt">When the backup began.</param>
/// <param name="Metadata">The metadata copy.</param>
/// <param name="Blobs">Every blob, by key.</param>
/// <param name="Totals">Counts, sizes and how long it took.</param>
public sealed record BackupManifest(int Format, string Id, DateTimeOffset CreatedAt, BackupMetadata Metadata, IReadOnlyList<BackupBlob> Blobs, BackupTotals Totals);

/// <summary>The metadata part of a backup.</summary>
/// <param name="Provider">The metadata provider that wrote it.</param>
/// <param name="Files">Its files, relative to the backup's <c>metadata</c> folder.</param>
/// <param name="Counts">Rows by kind (users, photos, live photos, embeddings, follows, likes, comments).</param>
public sealed record BackupMetadata(string Provider, IReadOnlyList<BackupFile> Files, IReadOnlyDictionary<string, long> Counts);

/// <summary>A file of the metadata copy.</summary>
/// <param name="Name">Its name in the <c>metadata</c> folder.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">The SHA-256 of its bytes (lower-case hex).</param>
public sealed record BackupFile(string Name, long Bytes, string Sha256);

/// <summary>A blob of a backup.</summary>
/// <param name="Key">Its key in the blob store.</param>
/// <param name="ContentType">Its content type.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">The SHA-256 of its bytes (lower-case hex); the bytes are in the repository's <c>objects/{first two}/{sha256}</c>.</param>
public sealed record BackupBlob(string Key, string ContentType, long Bytes, string Sha256);

/// <summary>A backup's totals.</summary>
/// <param name="Blobs">Blobs in the backup.</param>
/// <param name="BlobBytes">Their bytes.</param>
/// <param name="CopiedBlobs">Blobs read from the store by this backup (the others were known from the previous one).</param>
/// <param name="CopiedBytes">Their bytes.</param>
/// <param name="MetadataBytes">Bytes of the metadata copy.</param>
/// <param name="Elapsed">How long the backup took.</param>
public sealed record BackupTotals(long Blobs, long BlobBytes, long CopiedBlobs, long CopiedBytes, long MetadataBytes, TimeSpan Elapsed);

/// <summary>Where a backup or a restore stands, for progress output.</summary>
/// <param name="Stage">What is being done: <c>metadata</c>, <c>blobs</c>, <c>verify</c>, <c>retention</c>.</param>
/// <param name="Done">Items done in this stage.</param>
/// <param name="Bytes">Bytes done in this stage.</param>
public sealed record BackupProgress(string Stage, long Done, long Bytes);

/// <summary>What <see cref="DeploymentBackup.RestoreAsync"/> did.</summary>
/// <param name="Manifest">The backup restored.</param>
/// <param name="Blobs">Blobs written to the store.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Elapsed">How long it took, verification included.</param>
public sealed record RestoreReport(BackupManifest Manifest, long Blobs, long Bytes, TimeSpan Elapsed);

/// <summary>Options of <see cref="DeploymentBackup.BackupAsync"/>.</summary>
public sealed class BackupOptions
{
    /// <summary>The repository: each backup is a folder in it (with its <c>manifest.json</c>), and blob bytes are kept once, by content,
    /// in its <c>objects</c> folder, so a backup after the first copies only new blobs.</summary>
    public required string Repository { get; init; }

    /// <summary>How many backups to keep (the oldest beyond it are deleted with the objects only they used), or <see langword="null"/> to
    /// keep all.</summary>
    public int? Keep { get; init; }

    /// <summary>Blobs read at once. Default 16 (blob reads and writes wait on the disk or the network more than on the CPU).</summary>
    public int Parallelism { get; init; } = 16;
}

/// <summary>Options of <see cref="DeploymentBackup.RestoreAsync"/>.</summary>
public sealed class RestoreOptions
{
    /// <summary>A backup's folder (with <c>manifest.json</c>), or a repository (its newest backup is restored).</summary>
    public required string Source { get; init; }

    /// <summary>Restore into a deployment that already holds accounts or blobs (they are replaced; blobs not in the backup stay).</summary>
    public bool Force { get; init; }

    /// <summary>Blobs written at once. Default 16 (each write waits for the store to make it durable).</summary>
    public int Parallelism { get; init; } = 16;
}

/// <summary>A backup that cannot be restored as it is: a file or blob missing, cut short or changed since the backup was taken. The message
/// names what is wrong; nothing was changed.</summary>
public sealed class BackupDamagedException : ImageSocialException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public BackupDamagedException(string message) : base(message)
    {
    }
}
