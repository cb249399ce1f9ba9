namespace ImageSocial;

/// <summary>What a blob migration did (also its running totals, while it goes).</summary>
/// <param name="Listed">Blobs found in the source so far.</param>
/// <param name="Copied">Blobs copied and verified by this run.</param>
/// <param name="Skipped">Blobs the journal said an earlier run had copied and verified.</param>
/// <param name="Bytes">Bytes copied and verified by this run.</param>
/// <param name="Mismatches">Keys whose copy did not read back the same (size or SHA-256), or that vanished from the source meanwhile.</param>
/// <param name="Elapsed">How long it has run.</param>
public sealed record BlobMigrationReport(long Listed, long Copied, long Skipped, long Bytes, IReadOnlyList<string> Mismatches, TimeSpan Elapsed);
