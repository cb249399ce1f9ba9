namespace ImageSocial;

/// <summary>Vectors with a payload, searched top-k under a filter.</summary>
/// <remarks>Scores are "higher is more similar" whatever the metric. Implementations are thread-safe.</remarks>
public interface IVectorIndex
{
    /// <summary>Inserts or replaces vectors. All vectors of one index share one dimension.</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">A vector has the wrong dimension or a non-finite value.</exception>
    Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Replaces the payload of a stored vector.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="payload">The new payload.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether the record exists.</returns>
    Task<bool> UpdatePayloadAsync(long id, VectorPayload payload, CancellationToken cancellationToken = default);

    /// <summary>Deletes records; idempotent.</summary>
    /// <param name="ids">The record ids.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default);

    /// <summary>The stored vector and payload of a record, or <see langword="null"/>.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<VectorRecord?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="k"/> records most similar to <paramref name="query"/> that pass <paramref name="filter"/>, best first.</summary>
    /// <param name="query">The query vector.</param>
    /// <param name="k">How many results.</param>
    /// <param name="filter">The filter, applied during the search; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, int k, VectorFilter? filter, CancellationToken cancellationToken = default);

    /// <summary>The number of stored records.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}

/// <summary>Distance metrics.</summary>
public enum VectorMetric
{
    /// <summary>Cosine similarity (score = cosine).</summary>
    Cosine,

    /// <summary>Euclidean distance (score = −squared distance).</summary>
    L2,

    /// <summary>Inner product (score = dot product).</summary>
    InnerProduct,
}

/// <summary>A stored vector.</summary>
/// <param name="Id">The record id (a photo id's value).</param>
/// <param name="Vector">The vector.</param>
/// <param name="Payload">What filters read.</param>
public sealed record VectorRecord(long Id, ReadOnlyMemory<float> Vector, VectorPayload Payload);

/// <summary>The filterable facts stored with a vector.</summary>
/// <param name="Owner">The photo's owner.</param>
/// <param name="Visibility">The photo's visibility.</param>
/// <param name="OwnerIsPrivate">Whether the owner's account is private.</param>
/// <param name="CreatedAt">When the photo was created.</param>
/// <param name="Tags">The photo's tags.</param>
public sealed record VectorPayload(UserId Owner, Visibility Visibility, bool OwnerIsPrivate, DateTimeOffset CreatedAt, IReadOnlyList<string> Tags);

/// <summary>A search result.</summary>
/// <param name="Id">The record id.</param>
/// <param name="Score">Higher is more similar.</param>
public readonly record struct VectorMatch(long Id, float Score);

/// <summary>A filter on payloads: the viewer's visibility rule and optional narrowing.</summary>
public sealed record VectorFilter
{
    /// <summary>Who is looking; <see langword="null"/> applies no visibility rule (system use only).</summary>
    public UserId? Viewer { get; init; }

    /// <summary>The owners the viewer follows with approval; needed for followers-only photos and private accounts.</summary>
    public IReadOnlySet<UserId> ViewerFollows { get; init; } = new HashSet<UserId>();

    /// <summary>Only this owner's photos.</summary>
    public UserId? Owner { get; init; }

    /// <summary>Only photos carrying this tag.</summary>
    public string? Tag { get; init; }

    /// <summary>Only photos created at or after this time.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only photos created before this time.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>A record to leave out (the query photo itself).</summary>
    public long? ExcludeId { get; init; }

    /// <summary>Whether a record passes the filter; providers without a native filter evaluate this during the scan.</summary>
    public bool Matches(long id, VectorPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (id == ExcludeId || (Owner is { } owner && payload.Owner != owner))
        {
            return false;
        }

        if ((CreatedAfter is { } after && payload.CreatedAt < after) || (CreatedBefore is { } before && payload.CreatedAt >= before))
        {
            return false;
        }

        if (Tag is { } tag && !payload.Tags.Contains(tag, StringComparer.Ordinal))
        {
            return false;
        }

        return Viewer is not { } viewer || IsVisible(viewer, payload);
    }

    private bool IsVisible(UserId viewer, VectorPayload payload) =>
        payload.Owner == viewer
        || (payload.Visibility == Visibility.Public && !payload.OwnerIsPrivate)
        || (payload.Visibility != Visibility.Private && ViewerFollows.Contains(payload.Owner));
}
