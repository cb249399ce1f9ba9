using ImageSocial.ProviderServices;

namespace ImageSocial;

public sealed partial class ActingUser
{
    /// <summary>The acting user's home feed: photos of the accounts they follow that they may see, newest first.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<Photo>> GetFeedAsync(PageRequest page = default, CancellationToken cancellationToken = default) =>
        GetFeedAsync(page, FeedOrder.Newest, cancellationToken);

    /// <summary>The acting user's home feed in the given order (see <see cref="FeedOrder.Ranked"/> for the score); the cursors are the same
    /// in both orders.</summary>
    /// <param name="page">The page.</param>
    /// <param name="order">Newest first, or ranked within each page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<Photo>> GetFeedAsync(PageRequest page, FeedOrder order, CancellationToken cancellationToken = default) =>
        Run("GetFeed", async () =>
        {
            var newest = Shown(await parts.Cache.FeedAsync(Id, page, cancellationToken).ConfigureAwait(false), await BlocksAsync(cancellationToken).ConfigureAwait(false));
            return order == FeedOrder.Ranked ? new Page<Photo>(FeedRanking.Order(newest.Items, parts.Time.GetUtcNow()), newest.NextCursor) : newest;
        });

    /// <summary>Starts watching the acting user's feed: the returned watch receives, as they are published, the ids of new posts that reach
    /// it (authors the user follows, posts the user may see, checked when each is announced). Ids only: page the feed to show them. Best
    /// effort (a slow reader loses the oldest ids, and nothing is replayed after a reconnect). Announcements cross hosts when a shared
    /// <see cref="IFeedEventBus"/> is added (<c>AddRedisFeedEvents()</c>).</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The watch; dispose it to stop.</returns>
    /// <exception cref="ConflictException">The user already has the most watches open on this host (4).</exception>
    public Task<FeedWatch> WatchFeedAsync(CancellationToken cancellationToken = default) => parts.Watchers.WatchAsync(Id, cancellationToken);

    /// <summary>Searches photos the acting user may see by title words and/or a tag, newest first.</summary>
    /// <param name="text">Words that must all appear in the title (the last one as a prefix), or <see langword="null"/>.</param>
    /// <param name="tag">A tag, or <see langword="null"/>.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">Neither words nor a tag were given, or they are not valid.</exception>
    public Task<Page<Photo>> SearchAsync(string? text, string? tag = null, PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("Search", async () =>
        {
            var query = new PhotoSearch(
                string.IsNullOrWhiteSpace(text) ? null : InputRules.Text(text, "q", 500, allowEmpty: true),
                string.IsNullOrWhiteSpace(tag) ? null : InputRules.Tag(tag));
            return Shown(await parts.Photos.SearchAsync(query, Id, page, cancellationToken).ConfigureAwait(false), await BlocksAsync(cancellationToken).ConfigureAwait(false));
        });

    /// <summary>Photos that look like a photo the acting user may see, among those the acting user may see, best first.</summary>
    /// <param name="id">The query photo.</param>
    /// <param name="limit">How many results (1–100).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">The query photo does not exist, is deleted, or the acting user may not see it.</exception>
    public Task<IReadOnlyList<ScoredPhoto>> FindSimilarAsync(PhotoId id, int limit = 20, CancellationToken cancellationToken = default) =>
        Run("FindSimilar", async () =>
        {
            var photo = await VisibleOrOwnAsync(id, cancellationToken).ConfigureAwait(false);
            if (photo.DeletedAt is not null)
            {
                throw PhotoNotFound(id);
            }

            limit = Math.Clamp(limit, 1, 100);
            return Shown(await parts.Cache.SimilarAsync(Id, parts.Embeddings.ModelId, id, limit, async () =>
            {
                var stored = await parts.Vectors.GetAsync(id.Value, cancellationToken).ConfigureAwait(false);
                ReadOnlyMemory<float> query;
                if (stored is not null)
                {
                    query = stored.Vector;
                }
                else
                {
                    // Not embedded yet (the job is pending): embed the large rendition now rather than answer nothing.
                    using var content = await parts.Blobs.GetAsync(BlobKeys.ForRendition(photo.OwnerId, id, RenditionKind.Large), cancellationToken).ConfigureAwait(false)
                        ?? throw PhotoNotFound(id);
                    var large = await ReadAllAsync(content, cancellationToken).ConfigureAwait(false);
                    query = (await parts.Images.StartAsync(() => parts.Embeddings.EmbedAsync([large], cancellationToken), cancellationToken).ConfigureAwait(false))[0];
                }

                return await SimilarAsync(query, limit, id.Value, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false), await BlocksAsync(cancellationToken).ConfigureAwait(false));
        }, id.Value);

    /// <summary>Photos the acting user may see that look like an image given now, best first.</summary>
    /// <param name="image">The encoded query image.</param>
    /// <param name="limit">How many results (1–100).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="InputTooLargeException">The image is over the upload limit.</exception>
    /// <exception cref="UnsupportedImageFormatException">The bytes are not an accepted image.</exception>
    public Task<IReadOnlyList<ScoredPhoto>> FindSimilarToImageAsync(ReadOnlyMemory<byte> image, int limit = 20, CancellationToken cancellationToken = default) =>
        Run("FindSimilarToImage", async () =>
        {
            if (image.Length > parts.Options.MaxUploadBytes)
            {
                throw new InputTooLargeException($"The image is {image.Length} bytes; the limit is {parts.Options.MaxUploadBytes}.");
            }

            var vector = (await parts.Images.StartAsync(() =>
            {
                parts.Codec.Probe(image);
                return parts.Embeddings.EmbedAsync([image], cancellationToken);
            }, cancellationToken).ConfigureAwait(false))[0];
            return Shown(await SimilarAsync(vector, limit, null, cancellationToken).ConfigureAwait(false), await BlocksAsync(cancellationToken).ConfigureAwait(false));
        });

    private async Task<IReadOnlyList<ScoredPhoto>> SimilarAsync(ReadOnlyMemory<float> query, int limit, long? exclude, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, 100);
        var follows = await parts.Cache.FolloweesAsync(Id, cancellationToken).ConfigureAwait(false);
        var filter = new VectorFilter { Viewer = Id, ViewerFollows = follows, ExcludeId = exclude };
        var matches = await parts.Vectors.SearchAsync(query, limit, filter, cancellationToken).ConfigureAwait(false);

        // The index filters by its payload; hydrating through the store's visibility query also drops anything deleted or changed since.
        var visible = await parts.Cache.VisiblePhotosAsync(matches.Select(m => new PhotoId(m.Id)).ToList(), Id, cancellationToken).ConfigureAwait(false);
        var byId = visible.ToDictionary(p => p.Id);
        var result = matches.Where(m => byId.ContainsKey(new PhotoId(m.Id))).Select(m => new ScoredPhoto(byId[new PhotoId(m.Id)], m.Score)).ToList();
        CoreTelemetry.SimilarResults.Record(result.Count);
        return result;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(BlobContent content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream((int)Math.Min(content.Length, int.MaxValue));
        await content.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
