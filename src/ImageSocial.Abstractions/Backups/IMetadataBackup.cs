namespace ImageSocial;

/// <summary>A metadata provider's consistent copy of everything it holds (users, graph, photos, comments, embeddings, outbox, reports),
/// written as files into a folder, and its way back. The SDK's backup (<c>DeploymentBackup</c>) takes it first and the blobs second, so
/// that the worst a backup can hold is a blob nothing refers to, never a reference to a missing blob.</summary>
public interface IMetadataBackup
{
    /// <summary>Writes a consistent copy of the metadata into <paramref name="directory"/> (which exists and is empty).</summary>
    /// <param name="directory">Where the files go.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The files written and what they hold.</returns>
    Task<MetadataSnapshot> BackupMetadataAsync(string directory, CancellationToken cancellationToken = default);

    /// <summary>Whether the deployment holds no account yet: a restore into it loses nothing.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<bool> IsMetadataEmptyAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces everything the provider holds with the copy in <paramref name="directory"/> (files from
    /// <see cref="BackupMetadataAsync"/>, already verified by the caller). No host may write meanwhile.</summary>
    /// <param name="directory">Where the files are.</param>
    /// <param name="snapshot">What <see cref="BackupMetadataAsync"/> returned for them.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task RestoreMetadataAsync(string directory, MetadataSnapshot snapshot, CancellationToken cancellationToken = default);
}

/// <summary>What a metadata copy holds.</summary>
/// <param name="Provider">The provider that wrote it (<c>sqlite</c>, <c>postgres</c>); only that provider restores it.</param>
/// <param name="Files">The files, relative to the copy's folder.</param>
/// <param name="Counts">Rows by kind (<c>users</c>, <c>photos</c>, <c>livePhotos</c>, <c>embeddings</c>, <c>follows</c>, <c>likes</c>,
/// <c>comments</c>), for the manifest and for checking a restore.</param>
public sealed record MetadataSnapshot(string Provider, IReadOnlyList<string> Files, IReadOnlyDictionary<string, long> Counts);
