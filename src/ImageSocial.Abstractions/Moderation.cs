namespace ImageSocial;

/// <summary>What a report is about.</summary>
public enum ReportTarget
{
    /// <summary>A post (photo or video).</summary>
    Photo = 0,

    /// <summary>A comment.</summary>
    Comment = 1,
}

/// <summary>A user's report of a post or a comment, waiting in the moderation queue until a moderator hides or unhides its target.</summary>
/// <param name="Id">The report's id (a snowflake: its time is when it was filed).</param>
/// <param name="Target">What kind of thing is reported.</param>
/// <param name="TargetId">The post's or comment's id.</param>
/// <param name="Reporter">Who reported it.</param>
/// <param name="Reason">The reporter's reason.</param>
public sealed record Report(long Id, ReportTarget Target, long TargetId, UserId Reporter, string Reason)
{
    /// <summary>When it was filed, read from its id.</summary>
    public DateTimeOffset CreatedAt => SnowflakeId.GetCreatedAt(Id);
}

/// <summary>One moderation action in the audit log: who did what to what, when and why.</summary>
/// <param name="Id">The entry's id (a snowflake: its time is when the action was taken).</param>
/// <param name="Actor">The moderator or admin.</param>
/// <param name="Action">What was done: <c>photo.hide</c>, <c>photo.unhide</c>, <c>comment.hide</c>, <c>comment.unhide</c>,
/// <c>user.suspend</c>, <c>user.reinstate</c> or <c>user.role</c>.</param>
/// <param name="Target">What it was done to (<c>photo:ID</c>, <c>comment:ID</c> or <c>user:ID</c>).</param>
/// <param name="Reason">Why, as the actor gave it (for <c>user.role</c>, the new role).</param>
public sealed record AuditEntry(long Id, UserId Actor, string Action, string Target, string? Reason)
{
    /// <summary>When the action was taken, read from its id.</summary>
    public DateTimeOffset At => SnowflakeId.GetCreatedAt(Id);
}

/// <summary>Reports and the moderation audit log: deployment-wide records, kept where the provider keeps its catalog.</summary>
public interface IModerationStore
{
    /// <summary>Files a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task AddReportAsync(Report report, CancellationToken cancellationToken = default);

    /// <summary>The open reports, oldest first.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<Report>> GetOpenReportsAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Closes every open report of one target (a moderator acted on it).</summary>
    /// <param name="target">What kind of thing.</param>
    /// <param name="targetId">Its id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many reports were closed.</returns>
    Task<int> CloseReportsAsync(ReportTarget target, long targetId, CancellationToken cancellationToken = default);

    /// <summary>Appends an entry to the audit log.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The audit log, newest first.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<AuditEntry>> GetAuditAsync(PageRequest page, CancellationToken cancellationToken = default);
}
