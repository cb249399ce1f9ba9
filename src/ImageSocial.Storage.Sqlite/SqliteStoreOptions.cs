using System.ComponentModel.DataAnnotations;

namespace ImageSocial.Storage.Sqlite;

/// <summary>Options of <see cref="SqliteMetadataStore"/>.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file. Default <c>data/imagesocial.db</c>; the folder is created when missing.</summary>
    [Required]
    public string DatabasePath { get; set; } = Path.Combine("data", "imagesocial.db");

    /// <summary>Whether each commit waits for the disk (<c>synchronous=FULL</c>); otherwise a power loss may drop the last commits
    /// (a process crash never does in WAL mode). Default <see langword="true"/>.</summary>
    public bool DurableCommits { get; set; } = true;

    /// <summary>How long a writer waits for the database lock. Default 10 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
