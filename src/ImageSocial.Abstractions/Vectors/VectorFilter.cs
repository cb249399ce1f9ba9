namespace ImageSocial;

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
        ProviderServices.VisibilityRules.CanSee(viewer, payload.Owner, payload.Visibility, payload.OwnerIsPrivate, ViewerFollows.Contains(payload.Owner));
}
