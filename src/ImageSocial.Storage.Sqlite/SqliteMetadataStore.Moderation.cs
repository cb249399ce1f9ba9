using ImageSocial.ProviderServices;
using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore : IModerationStore
{
    /// <inheritdoc />
    public Task AddReportAsync(Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return WriteAsync("AddReport", (c, t) => Execute(c, t, "INSERT INTO reports(id, target, target_id, reporter, reason) VALUES (@id, @k, @t, @r, @why)",
            ("@id", report.Id), ("@k", (int)report.Target), ("@t", report.TargetId), ("@r", report.Reporter.Value), ("@why", report.Reason)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<Report>> GetOpenReportsAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var after = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return ReadAsync("GetOpenReports", c => ToPage(Query(c, null, ReadReport,
            "SELECT id, target, target_id, reporter, reason FROM reports WHERE open = 1 AND id > @after ORDER BY id LIMIT @n",
            ("@after", after ?? long.MinValue), ("@n", limit + 1)), limit, r => r.Id), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> CloseReportsAsync(ReportTarget target, long targetId, CancellationToken cancellationToken = default) =>
        WriteAsync("CloseReports", (c, t) => Execute(c, t, "UPDATE reports SET open = 0 WHERE target = @k AND target_id = @t AND open = 1",
            ("@k", (int)target), ("@t", targetId)), cancellationToken);

    /// <inheritdoc />
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync("AppendAudit", (c, t) => Execute(c, t, "INSERT INTO audit_log(id, actor, action, target, reason) VALUES (@id, @a, @what, @t, @why)",
            ("@id", entry.Id), ("@a", entry.Actor.Value), ("@what", entry.Action), ("@t", entry.Target), ("@why", entry.Reason)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<Page<AuditEntry>> GetAuditAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return ReadAsync("GetAudit", c => ToPage(Query(c, null,
            r => new AuditEntry(r.GetInt64(0), new UserId(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)),
            "SELECT id, actor, action, target, reason FROM audit_log WHERE id < @before ORDER BY id DESC LIMIT @n",
            ("@before", before ?? long.MaxValue), ("@n", limit + 1)), limit, e => e.Id), cancellationToken);
    }

    private static Report ReadReport(SqliteDataReader r) =>
        new(r.GetInt64(0), (ReportTarget)r.GetInt32(1), r.GetInt64(2), new UserId(r.GetInt64(3)), r.GetString(4));
}
