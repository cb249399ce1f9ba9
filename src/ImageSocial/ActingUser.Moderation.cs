namespace ImageSocial;

public sealed partial class ActingUser
{
    /// <summary>Reports a post the acting user may see, for the moderators' queue.</summary>
    /// <param name="id">The post.</param>
    /// <param name="reason">Why (1–500 characters).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The report.</returns>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    /// <exception cref="ValidationException">The reason is empty, too long or not valid.</exception>
    public Task<Report> ReportPhotoAsync(PhotoId id, string reason, CancellationToken cancellationToken = default) =>
        Run("ReportPhoto", async () =>
        {
            var why = Reason(reason);
            await ActiveAsync(cancellationToken).ConfigureAwait(false);
            await VisibleLiveAsync(id, cancellationToken).ConfigureAwait(false);
            return await FileReportAsync(ReportTarget.Photo, id.Value, why, cancellationToken).ConfigureAwait(false);
        }, id.Value);

    /// <summary>Reports a comment the acting user may see, for the moderators' queue.</summary>
    /// <param name="id">The comment.</param>
    /// <param name="reason">Why (1–500 characters).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The report.</returns>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    /// <exception cref="ValidationException">The reason is empty, too long or not valid.</exception>
    public Task<Report> ReportCommentAsync(CommentId id, string reason, CancellationToken cancellationToken = default) =>
        Run("ReportComment", async () =>
        {
            var why = Reason(reason);
            await ActiveAsync(cancellationToken).ConfigureAwait(false);
            await VisibleCommentAsync(id, cancellationToken).ConfigureAwait(false);
            return await FileReportAsync(ReportTarget.Comment, id.Value, why, cancellationToken).ConfigureAwait(false);
        }, id.Value);

    /// <summary>The moderation queue: open reports, oldest first. Moderators and admins only.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not a moderator or an admin.</exception>
    public Task<Page<Report>> GetOpenReportsAsync(PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("GetOpenReports", async () =>
        {
            await RequireRoleAsync(UserRole.Moderator, cancellationToken).ConfigureAwait(false);
            return await parts.Moderation.GetOpenReportsAsync(page, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Hides a post from everyone but its owner, who sees it with the reason; closes its open reports. Moderators and admins only.</summary>
    /// <param name="id">The post (deleted ones included).</param>
    /// <param name="reason">Why (1–500 characters); the owner sees it.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not a moderator or an admin.</exception>
    /// <exception cref="NotFoundException">There is no such post.</exception>
    public Task HidePhotoAsync(PhotoId id, string reason, CancellationToken cancellationToken = default) =>
        Run("HidePhoto", () => SetPhotoHiddenAsync(id, Reason(reason), cancellationToken), id.Value);

    /// <summary>Shows a hidden post again; closes its open reports. Moderators and admins only.</summary>
    /// <param name="id">The post.</param>
    /// <param name="reason">Why, for the audit log, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not a moderator or an admin.</exception>
    /// <exception cref="NotFoundException">There is no such post.</exception>
    public Task UnhidePhotoAsync(PhotoId id, string? reason = null, CancellationToken cancellationToken = default) =>
        Run("UnhidePhoto", () => SetPhotoHiddenAsync(id, null, cancellationToken, OptionalReason(reason)), id.Value);

    /// <summary>Hides a comment from everyone but its author, who sees it with the reason; closes its open reports. Moderators and admins only.</summary>
    /// <param name="id">The comment.</param>
    /// <param name="reason">Why (1–500 characters); the author sees it.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not a moderator or an admin.</exception>
    /// <exception cref="NotFoundException">There is no such comment.</exception>
    public Task HideCommentAsync(CommentId id, string reason, CancellationToken cancellationToken = default) =>
        Run("HideComment", () => SetCommentHiddenAsync(id, Reason(reason), cancellationToken), id.Value);

    /// <summary>Shows a hidden comment again; closes its open reports. Moderators and admins only.</summary>
    /// <param name="id">The comment.</param>
    /// <param name="reason">Why, for the audit log, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not a moderator or an admin.</exception>
    /// <exception cref="NotFoundException">There is no such comment.</exception>
    public Task UnhideCommentAsync(CommentId id, string? reason = null, CancellationToken cancellationToken = default) =>
        Run("UnhideComment", () => SetCommentHiddenAsync(id, null, cancellationToken, OptionalReason(reason)), id.Value);

    /// <summary>Suspends an account: it becomes invisible everywhere (profile, posts, comments, connections), cannot sign in or act, and
    /// keeps its data. Admins only.</summary>
    /// <param name="user">The account.</param>
    /// <param name="reason">Why (1–500 characters), for the audit log.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not an admin.</exception>
    /// <exception cref="ValidationException">The acting user is the account, or the reason is not valid.</exception>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    public Task SuspendAsync(UserId user, string reason, CancellationToken cancellationToken = default) =>
        Run("Suspend", () => SetSuspendedAsync(user, true, Reason(reason), cancellationToken), user.Value);

    /// <summary>Reinstates a suspended account: everything it had shows again as before. Admins only.</summary>
    /// <param name="user">The account.</param>
    /// <param name="reason">Why, for the audit log, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not an admin.</exception>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    public Task ReinstateAsync(UserId user, string? reason = null, CancellationToken cancellationToken = default) =>
        Run("Reinstate", () => SetSuspendedAsync(user, false, OptionalReason(reason), cancellationToken), user.Value);

    /// <summary>The moderation audit log, newest first. Admins only.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not an admin.</exception>
    public Task<Page<AuditEntry>> GetAuditLogAsync(PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("GetAuditLog", async () =>
        {
            await RequireRoleAsync(UserRole.Admin, cancellationToken).ConfigureAwait(false);
            return await parts.Moderation.GetAuditAsync(page, cancellationToken).ConfigureAwait(false);
        });

    private async Task SetPhotoHiddenAsync(PhotoId id, string? hidden, CancellationToken cancellationToken, string? unhideReason = null)
    {
        await RequireRoleAsync(UserRole.Moderator, cancellationToken).ConfigureAwait(false);
        if (!await parts.Photos.SetHiddenAsync(id, hidden, cancellationToken).ConfigureAwait(false))
        {
            throw PhotoNotFound(id);
        }

        await parts.Cache.PhotosChangedAsync([id]).ConfigureAwait(false);
        if (hidden is null)
        {
            // Published again, as after a visibility change: stored timelines merged while it was hidden left it out.
            await parts.EnqueueAsync(OutboxMessage.Create(OutboxKinds.PhotoUpdated, id.Value), cancellationToken).ConfigureAwait(false);
        }

        await parts.Moderation.CloseReportsAsync(ReportTarget.Photo, id.Value, cancellationToken).ConfigureAwait(false);
        await AuditAsync(hidden is null ? "photo.unhide" : "photo.hide", $"photo:{id}", hidden ?? unhideReason, cancellationToken).ConfigureAwait(false);
    }

    private async Task SetCommentHiddenAsync(CommentId id, string? hidden, CancellationToken cancellationToken, string? unhideReason = null)
    {
        await RequireRoleAsync(UserRole.Moderator, cancellationToken).ConfigureAwait(false);
        if (!await parts.Interactions.SetCommentHiddenAsync(id, hidden, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"Comment {id} does not exist.");
        }

        await parts.Moderation.CloseReportsAsync(ReportTarget.Comment, id.Value, cancellationToken).ConfigureAwait(false);
        await AuditAsync(hidden is null ? "comment.unhide" : "comment.hide", $"comment:{id}", hidden ?? unhideReason, cancellationToken).ConfigureAwait(false);
    }

    private async Task SetSuspendedAsync(UserId user, bool suspended, string? reason, CancellationToken cancellationToken)
    {
        await RequireRoleAsync(UserRole.Admin, cancellationToken).ConfigureAwait(false);
        if (user == Id)
        {
            throw new ValidationException("An admin cannot suspend or reinstate themselves.") { ParameterName = nameof(user) };
        }

        if (!await parts.Users.SetSuspendedAsync(user, suspended, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"User {user} does not exist.");
        }

        await parts.Cache.UserChangedAsync(user).ConfigureAwait(false);
        if (!suspended)
        {
            await parts.EnqueueAsync(OutboxMessage.Create(OutboxKinds.UserReinstated, user.Value), cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(suspended ? "user.suspend" : "user.reinstate", $"user:{user}", reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A comment the acting user may see, on a post the acting user may see.</summary>
    private async Task<Comment> VisibleCommentAsync(CommentId id, CancellationToken cancellationToken)
    {
        var comment = await parts.Interactions.GetCommentAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"Comment {id} does not exist.");
        await VisibleLiveAsync(comment.PhotoId, cancellationToken).ConfigureAwait(false);
        return (await ShownAsync(new Page<Comment>([comment], null), cancellationToken).ConfigureAwait(false)).Items.Count == 1
            ? comment
            : throw new NotFoundException($"Comment {id} does not exist.");
    }

    private async Task<Report> FileReportAsync(ReportTarget target, long targetId, string reason, CancellationToken cancellationToken)
    {
        var report = new Report(parts.Ids.Next(Id.LogicalShard), target, targetId, Id, reason);
        await parts.Moderation.AddReportAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private Task AuditAsync(string action, string target, string? reason, CancellationToken cancellationToken) =>
        parts.Moderation.AppendAuditAsync(new AuditEntry(parts.Ids.Next(Id.LogicalShard), Id, action, target, reason), cancellationToken);

    /// <summary>Requires the acting user (read from the store, not the cache: a revoked role must not linger) to hold at least a role.</summary>
    private async Task RequireRoleAsync(UserRole least, CancellationToken cancellationToken)
    {
        var self = await parts.Users.GetAsync(Id, cancellationToken).ConfigureAwait(false);
        if (self is null || self.IsSuspended || self.Role < least)
        {
            throw new ForbiddenException(least == UserRole.Admin ? "Only an admin may do this." : "Only a moderator or an admin may do this.");
        }
    }

    private static string Reason(string reason) => InputRules.Text(reason, "reason", 500, allowEmpty: false);

    private static string? OptionalReason(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : Reason(reason);
}
