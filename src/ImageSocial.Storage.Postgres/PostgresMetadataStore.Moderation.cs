using ImageSocial.ProviderServices;
using ImageSocial.Shared.Sql;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <remarks>Reports and the audit log live on the catalog server, beside the shard map: deployment-wide records.</remarks>
public sealed partial class PostgresMetadataStore : IModerationStore
{
    /// <inheritdoc />
    public Task AddReportAsync(Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return OnCatalogAsync("AddReport", c => Sql.ExecuteAsync(c, null, "INSERT INTO imagesocial.reports(id, target, target_id, reporter, reason) VALUES ($1, $2, $3, $4, $5)",
            cancellationToken, report.Id, (short)report.Target, report.TargetId, report.Reporter.Value, report.Reason), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<Report>> GetOpenReportsAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var after = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return ToPage(await OnCatalogAsync("GetOpenReports", c => Sql.QueryAsync(c, null, ReadReport,
            "SELECT id, target, target_id, reporter, reason FROM imagesocial.reports WHERE open AND id > $1 ORDER BY id LIMIT $2",
            cancellationToken, after ?? long.MinValue, limit + 1), cancellationToken).ConfigureAwait(false), limit, r => r.Id);
    }

    /// <inheritdoc />
    public Task<int> CloseReportsAsync(ReportTarget target, long targetId, CancellationToken cancellationToken = default) =>
        OnCatalogAsync("CloseReports", c => Sql.ExecuteAsync(c, null, "UPDATE imagesocial.reports SET open = false WHERE target = $1 AND target_id = $2 AND open",
            cancellationToken, (short)target, targetId), cancellationToken);

    /// <inheritdoc />
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return OnCatalogAsync("AppendAudit", c => Sql.ExecuteAsync(c, null, "INSERT INTO imagesocial.audit_log(id, actor, action, target, reason) VALUES ($1, $2, $3, $4, $5::text)",
            cancellationToken, entry.Id, entry.Actor.Value, entry.Action, entry.Target, entry.Reason), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Page<AuditEntry>> GetAuditAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        var before = IdCursor.Decode(page.Cursor);
        var limit = page.EffectiveLimit;
        return ToPage(await OnCatalogAsync("GetAudit", c => Sql.QueryAsync(c, null,
            r => new AuditEntry(r.GetInt64(0), new UserId(r.GetInt64(1)), r.GetString(2), r.GetString(3), Sql.Text(r, 4)),
            "SELECT id, actor, action, target, reason FROM imagesocial.audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2",
            cancellationToken, before ?? long.MaxValue, limit + 1), cancellationToken).ConfigureAwait(false), limit, e => e.Id);
    }

    private static Report ReadReport(NpgsqlDataReader r) => new(r.GetInt64(0), (ReportTarget)r.GetInt16(1), r.GetInt64(2), new UserId(r.GetInt64(3)), r.GetString(4));
}
