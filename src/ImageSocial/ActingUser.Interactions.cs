namespace ImageSocial;

public sealed partial class ActingUser
{
    /// <summary>Likes a photo the acting user may see; idempotent.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    public Task LikeAsync(PhotoId id, CancellationToken cancellationToken = default) =>
        Run("Like", async () =>
        {
            await ActiveAsync(cancellationToken).ConfigureAwait(false);
            await VisibleLiveAsync(id, cancellationToken).ConfigureAwait(false);
            if (await parts.Interactions.LikeAsync(id, Id, cancellationToken).ConfigureAwait(false))
            {
                await parts.Cache.PhotosChangedAsync([id]).ConfigureAwait(false);
            }
        }, id.Value);

    /// <summary>Removes the acting user's like; idempotent.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    public Task UnlikeAsync(PhotoId id, CancellationToken cancellationToken = default) =>
        Run("Unlike", async () =>
        {
            await VisibleLiveAsync(id, cancellationToken).ConfigureAwait(false);
            if (await parts.Interactions.UnlikeAsync(id, Id, cancellationToken).ConfigureAwait(false))
            {
                await parts.Cache.PhotosChangedAsync([id]).ConfigureAwait(false);
            }
        }, id.Value);

    /// <summary>Whether the acting user likes a photo it may see.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it (an answer would tell that it exists).</exception>
    public Task<bool> LikesAsync(PhotoId id, CancellationToken cancellationToken = default) =>
        Run("Likes", async () =>
        {
            await VisibleLiveAsync(id, cancellationToken).ConfigureAwait(false);
            return await parts.Interactions.HasLikedAsync(id, Id, cancellationToken).ConfigureAwait(false);
        }, id.Value);

    /// <summary>Comments on a photo the acting user may see.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="text">The text, 1–<see cref="ImageSocialOptions.MaxCommentLength"/> characters.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    /// <exception cref="ValidationException">The text is empty, too long or not valid.</exception>
    public Task<Comment> AddCommentAsync(PhotoId id, string text, CancellationToken cancellationToken = default) =>
        Run("AddComment", async () =>
        {
            var clean = InputRules.Text(text, "text", parts.Options.MaxCommentLength, allowEmpty: false, allowNewLines: true);
            await ActiveAsync(cancellationToken).ConfigureAwait(false);
            await VisibleLiveAsync(id, cancellationToken).ConfigureAwait(false);
            var comment = new Comment(new CommentId(parts.Ids.Next(id.LogicalShard)), id, Id, clean);
            await parts.Interactions.AddCommentAsync(comment, cancellationToken).ConfigureAwait(false);
            await parts.Cache.PhotosChangedAsync([id]).ConfigureAwait(false);
            return comment;
        }, id.Value);

    /// <summary>The comments on a photo the acting user may see, oldest first.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the acting user may not see it.</exception>
    public Task<Page<Comment>> GetCommentsAsync(PhotoId id, PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("GetComments", async () =>
        {
            await VisibleLiveAsync(id, cancellationToken).ConfigureAwait(false);
            return await ShownAsync(await parts.Interactions.GetCommentsAsync(id, page, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }, id.Value);

    /// <summary>The comments the acting user may see: hidden ones only to their author, none by a suspended author or one blocked either way.</summary>
    private async Task<Page<Comment>> ShownAsync(Page<Comment> page, CancellationToken cancellationToken)
    {
        if (page.Items.Count == 0)
        {
            return page;
        }

        var blocks = await BlocksAsync(cancellationToken).ConfigureAwait(false);
        var authors = await parts.Cache.UsersAsync(page.Items.Select(c => c.AuthorId).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        return new Page<Comment>(page.Items.Where(c => c.AuthorId == Id
            || (c.HiddenReason is null && !blocks.Contains(c.AuthorId) && authors.TryGetValue(c.AuthorId, out var author) && !author.IsSuspended)).ToList(), page.NextCursor);
    }
}
