namespace ImageSocial;

public sealed partial class ImageSocialService
{
    /// <summary>Likes a photo the viewer may see; idempotent.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="viewer">Who likes it.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the viewer may not see it.</exception>
    public async Task LikeAsync(PhotoId id, UserId viewer, CancellationToken cancellationToken = default)
    {
        await VisibleLiveAsync(id, viewer, cancellationToken).ConfigureAwait(false);
        await interactions.LikeAsync(id, viewer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the viewer's like; idempotent.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="viewer">Who liked it.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the viewer may not see it.</exception>
    public async Task UnlikeAsync(PhotoId id, UserId viewer, CancellationToken cancellationToken = default)
    {
        await VisibleLiveAsync(id, viewer, cancellationToken).ConfigureAwait(false);
        await interactions.UnlikeAsync(id, viewer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Comments on a photo the author may see.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="author">Who writes.</param>
    /// <param name="text">The text, 1–<see cref="ImageSocialOptions.MaxCommentLength"/> characters.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the author may not see it.</exception>
    /// <exception cref="ValidationException">The text is empty, too long or not valid.</exception>
    public async Task<Comment> AddCommentAsync(PhotoId id, UserId author, string text, CancellationToken cancellationToken = default)
    {
        var clean = InputRules.Text(text, "text", options.MaxCommentLength, allowEmpty: false, allowNewLines: true);
        await VisibleLiveAsync(id, author, cancellationToken).ConfigureAwait(false);
        var comment = new Comment(new CommentId(ids.Next(id.LogicalShard)), id, author, clean);
        await interactions.AddCommentAsync(comment, cancellationToken).ConfigureAwait(false);
        return comment;
    }

    /// <summary>The comments on a photo the viewer may see, oldest first.</summary>
    /// <param name="id">The photo.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">It does not exist or the viewer may not see it.</exception>
    public async Task<Page<Comment>> GetCommentsAsync(PhotoId id, UserId viewer, PageRequest page, CancellationToken cancellationToken = default)
    {
        await VisibleLiveAsync(id, viewer, cancellationToken).ConfigureAwait(false);
        return await interactions.GetCommentsAsync(id, page, cancellationToken).ConfigureAwait(false);
    }

    private async Task VisibleLiveAsync(PhotoId id, UserId viewer, CancellationToken cancellationToken)
    {
        if ((await photos.GetVisibleAsync([id], viewer, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            throw PhotoNotFound(id);
        }
    }
}
