namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IModerationStore))]
public abstract class ModerationStoreTests : MetadataSuite
{
    [Fact]
    public virtual async Task Open_reports_page_oldest_first_and_close_by_target()
    {
        var reporter = new UserId(MetadataStores.NewId());
        var photo = MetadataStores.NewId();
        var reports = new List<Report>();
        for (var i = 0; i < 4; i++)
        {
            var report = new Report(MetadataStores.NewId(), i == 3 ? ReportTarget.Comment : ReportTarget.Photo, i == 3 ? MetadataStores.NewId() : photo, reporter, $"reason {i}");
            await Stores.Moderation.AddReportAsync(report);
            reports.Add(report);
        }

        var first = await Stores.Moderation.GetOpenReportsAsync(new PageRequest(null, 3));
        var second = await Stores.Moderation.GetOpenReportsAsync(new PageRequest(first.NextCursor, 3));
        Assert.Equal(reports.OrderBy(r => r.Id), first.Items.Concat(second.Items));

        Assert.Equal(3, await Stores.Moderation.CloseReportsAsync(ReportTarget.Photo, photo));
        Assert.Equal(0, await Stores.Moderation.CloseReportsAsync(ReportTarget.Photo, photo));
        Assert.Equal(0, await Stores.Moderation.CloseReportsAsync(ReportTarget.Comment, photo)); // the same id, another kind
        Assert.Equal([reports[3]], (await Stores.Moderation.GetOpenReportsAsync(new PageRequest())).Items);
    }

    [Fact]
    public virtual async Task The_audit_log_pages_newest_first()
    {
        var actor = new UserId(MetadataStores.NewId());
        var entries = new List<AuditEntry>();
        for (var i = 0; i < 5; i++)
        {
            var entry = new AuditEntry(MetadataStores.NewId(), actor, "photo.hide", $"photo:{i}", i % 2 == 0 ? "why" : null);
            await Stores.Moderation.AppendAuditAsync(entry);
            entries.Add(entry);
        }

        var first = await Stores.Moderation.GetAuditAsync(new PageRequest(null, 2));
        var rest = await Stores.Moderation.GetAuditAsync(new PageRequest(first.NextCursor, 10));
        Assert.Equal(entries.OrderByDescending(e => e.Id), first.Items.Concat(rest.Items));
        Assert.Null(rest.NextCursor);
    }
}
