namespace ImageSocial;

public sealed partial class ImageSocialService
{
    /// <summary>The viewer's home feed: photos of the accounts they follow that they may see.</summary>
    /// <param name="viewer">Whose feed.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<Photo>> GetFeedAsync(UserId viewer, PageRequest page, CancellationToken cancellationToken = default) =>
        feed.GetPageAsync(viewer, page, cancellationToken);

    /// <summary>Searches photos the viewer may see by title words and/or a tag, newest first.</summary>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="text">Words that must all appear in the title, or <see langword="null"/>.</param>
    /// <param name="tag">A tag, or <see langword="null"/>.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">Neither words nor a tag were given, or they are not valid.</exception>
    public Task<Page<Photo>> SearchAsync(UserId viewer, string? text, string? tag, PageRequest page, CancellationToken cancellationToken = default)
    {
        var query = new PhotoSearch(
            string.IsNullOrWhiteSpace(text) ? null : InputRules.Text(text, "q", 500, allowEmpty: true),
            string.IsNullOrWhiteSpace(tag) ? null : InputRules.Tag(tag));
        return photos.SearchAsync(query, viewer, page, cancellationToken);
    }

    /// <summary>Photos that look like a photo the viewer may see, among those the viewer may see, best first.</summary>
    /// <param name="id">The query photo.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="limit">How many results (1–100).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">The query photo does not exist, is deleted, or the viewer may not see it.</exception>
    public async Task<IReadOnlyList<ScoredPhoto>> FindSimilarAsync(PhotoId id, UserId viewer, int limit = 20, CancellationToken cancellationToken = default)
    {
        var photo = await GetPhotoAsync(id, viewer, cancellationToken).ConfigureAwait(false);
        if (photo.DeletedAt is not null)
        {
            throw PhotoNotFound(id);
        }

        var stored = await vectors.GetAsync(id.Value, cancellationToken).ConfigureAwait(false);
        ReadOnlyMemory<float> query;
        if (stored is not null)
        {
            query = stored.Vector;
        }
        else
        {
            // Not embedded yet (the job is pending): embed the large rendition now rather than answer nothing.
            using var content = await blobs.GetAsync(BlobKeys.ForRendition(photo.OwnerId, id, RenditionKind.Large), cancellationToken).ConfigureAwait(false)
                ?? throw PhotoNotFound(id);
            query = (await embeddings.EmbedAsync([await ReadAllAsync(content, cancellationToken).ConfigureAwait(false)], cancellationToken).ConfigureAwait(false))[0];
        }

        return await SimilarAsync(query, viewer, limit, id.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Photos the viewer may see that look like an image given now, best first.</summary>
    /// <param name="image">The encoded query image.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="limit">How many results (1–100).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public async Task<IReadOnlyList<ScoredPhoto>> FindSimilarToImageAsync(ReadOnlyMemory<byte> image, UserId viewer, int limit = 20, CancellationToken cancellationToken = default)
    {
        if (image.Length > options.MaxUploadBytes)
        {
            throw new InputTooLargeException($"The image is {image.Length} bytes; the limit is {options.MaxUploadBytes}.");
        }

        codec.Probe(image);
        var vector = (await embeddings.EmbedAsync([image], cancellationToken).ConfigureAwait(false))[0];
        return await SimilarAsync(vector, viewer, limit, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<ScoredPhoto>> SimilarAsync(ReadOnlyMemory<float> query, UserId viewer, int limit, long? exclude, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, 100);
        var follows = await PullFeedBuilder.FolloweesAsync(graph, viewer, cancellationToken).ConfigureAwait(false);
        var filter = new VectorFilter { Viewer = viewer, ViewerFollows = follows.ToHashSet(), ExcludeId = exclude };
        var matches = await vectors.SearchAsync(query, limit, filter, cancellationToken).ConfigureAwait(false);

        // The index filters by its payload; hydrating through the store's visibility query also drops anything deleted or changed since.
        var visible = await photos.GetVisibleAsync(matches.Select(m => new PhotoId(m.Id)).ToList(), viewer, cancellationToken).ConfigureAwait(false);
        var byId = visible.ToDictionary(p => p.Id);
        return matches.Where(m => byId.ContainsKey(new PhotoId(m.Id))).Select(m => new ScoredPhoto(byId[new PhotoId(m.Id)], m.Score)).ToList();
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(BlobContent content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream((int)Math.Min(content.Length, int.MaxValue));
        await content.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
