namespace ImageSocial.Admin;

/// <summary>The command line: <c>shards map|move</c>, <c>dead-letters list|retry</c>, <c>blobs migrate|reencrypt</c>, <c>vectors rebuild</c> and <c>grant</c> over the
/// deployment a host's settings name.</summary>
public static class AdminTool
{
    internal const string Usage = """
        usage: imagesocial-admin shards map  [--config appsettings.json | --server NAME=CONNECTION ...] [--shards N]
               imagesocial-admin shards move --shard N --to SERVER [--config ... | --server ...] [--shards N] [--json]
               imagesocial-admin dead-letters list  [--config appsettings.json] [--data DIR] [--json]
               imagesocial-admin dead-letters retry (--id ID | --all) [--config appsettings.json] [--data DIR]
               imagesocial-admin blobs migrate --from local|s3 --to local|s3 [--config appsettings.json] [--data DIR] [--journal FILE] [--parallel N] [--json]
               imagesocial-admin blobs reencrypt [--config appsettings.json] [--data DIR]
                 (rewrites every local blob that is not under ImageSocial:LocalBlobs:Encryption:CurrentKeyId: after a key rotation, or
                 after encryption was turned on or off; hosts keep serving meanwhile)
               imagesocial-admin grant --handle H --role member|moderator|admin [--config appsettings.json] [--data DIR]
                 (stores the account's role: the first admin of a deployment; hosts see it at the account's next request)
               imagesocial-admin backup --to REPOSITORY [--keep N] [--config ...] [--data DIR]   (see backup --help)
               imagesocial-admin restore --from BACKUP|REPOSITORY [--force] [--config ...] [--data DIR]
               imagesocial-admin vectors rebuild --space ID [--config appsettings.json] [--data DIR] [--json]
                 (loads the stored embeddings of space ID into the vector index the settings name: the embedded one, run while that
                  host is stopped, or Qdrant / Milvus with ImageSocial:Providers:Vectors=qdrant|milvus — how a deployment moves there)
          The deployment is read as the sample host reads it: --config FILE (its appsettings.json), then environment variables
          (IMAGESOCIAL_DATA, ImageSocial__Providers__Metadata, ImageSocial__Postgres__Servers__0__ConnectionString, ...).
          --data names the embedded store's folder (default ./data); --server may repeat, the first is the catalog.
        """;

    /// <summary>Runs one command; returns the process exit code (0 done, 1 failed, 2 bad usage).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where results and progress go.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var arguments = Arguments.Parse(args);
            return arguments.Area switch
            {
                "shards" => await ShardCommands.RunAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "dead-letters" => await DeadLetterCommands.RunAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "blobs" => await BlobCommands.RunAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "vectors" => await VectorCommands.RunAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "grant" => await RoleCommands.GrantAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                "backup" or "restore" => await BackupCommands.RunAsync(arguments, output, cancellationToken).ConfigureAwait(false),
                _ => throw new FormatException($"unknown area '{arguments.Area}'"),
            };
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync(ex.Message + Environment.NewLine + Usage).ConfigureAwait(false);
            return 2;
        }
        catch (ImageSocialException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
