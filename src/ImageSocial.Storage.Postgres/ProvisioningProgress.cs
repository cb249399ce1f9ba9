namespace ImageSocial.Storage.Postgres;

/// <summary>How far the creation of a cluster's schemas has come, for the health check and the start-up log.</summary>
internal sealed class ProvisioningProgress
{
    private int total;
    private int created;

    /// <summary>The logical shard schemas that were missing when provisioning started.</summary>
    internal int Total => Volatile.Read(ref total);

    /// <summary>How many of them exist now.</summary>
    internal int Created => Volatile.Read(ref created);

    /// <summary>The last provisioning failure, until a later attempt succeeds.</summary>
    internal Exception? LastError { get; set; }

    internal void AddMissing(int count) => Interlocked.Add(ref total, count);

    internal int AddCreated(int count) => Interlocked.Add(ref created, count);

    public override string ToString() => Total == 0 ? "checking the schemas" : $"created {Created} of {Total} logical shard schemas";
}
