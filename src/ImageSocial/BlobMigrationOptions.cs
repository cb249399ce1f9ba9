using System.ComponentModel.DataAnnotations;

namespace ImageSocial;

/// <summary>How <see cref="BlobMigration"/> runs.</summary>
public sealed class BlobMigrationOptions
{
    /// <summary>A file that lists every key already copied and verified (appended as the migration goes); a later run skips them.
    /// <see langword="null"/> copies everything every time.</summary>
    public string? JournalPath { get; set; }

    /// <summary>How many blobs are copied at once. Default 4.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 4;

    /// <summary>How often progress is reported. Default 2 seconds.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);
}
