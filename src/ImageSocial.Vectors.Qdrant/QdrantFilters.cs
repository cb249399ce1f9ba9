using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace ImageSocial.Vectors.Qdrant;

/// <summary>Translates a <see cref="VectorFilter"/> into Qdrant's filter, evaluated by the server during the search, so a selective
/// filter still yields k results.</summary>
internal static class QdrantFilters
{
    /// <summary>The filter, or <see langword="null"/> when nothing narrows the search.</summary>
    internal static Filter? From(VectorFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }

        var result = new Filter();
        if (filter.Owner is { } owner)
        {
            result.Must.Add(Match(QdrantPayloads.Owner, owner.Value));
        }

        if (filter.Tag is { } tag)
        {
            result.Must.Add(MatchKeyword(QdrantPayloads.Tags, tag));
        }

        if (filter.CreatedAfter is not null || filter.CreatedBefore is not null)
        {
            var range = new global::Qdrant.Client.Grpc.Range();
            if (filter.CreatedAfter is { } after)
            {
                range.Gte = after.ToUnixTimeMilliseconds();
            }

            if (filter.CreatedBefore is { } before)
            {
                range.Lt = before.ToUnixTimeMilliseconds();
            }

            result.Must.Add(Range(QdrantPayloads.CreatedAt, range));
        }

        if (filter.Viewer is { } viewer)
        {
            result.Must.Add(Conditions.Filter(Visible(viewer, filter.ViewerFollows)));
        }

        if (filter.ExcludeId is { } excluded)
        {
            result.MustNot.Add(HasId((ulong)excluded));
        }

        return result.Must.Count + result.MustNot.Count == 0 ? null : result;
    }

    /// <summary>The visibility rule (<see cref="ProviderServices.VisibilityRules.CanSee"/>) as a should-tree: the viewer's own; public
    /// photos of public accounts; anything but private from the owners the viewer follows (one match-any over the followee set).</summary>
    private static Filter Visible(UserId viewer, IReadOnlySet<UserId> follows)
    {
        var visible = new Filter();
        visible.Should.Add(Match(QdrantPayloads.Owner, viewer.Value));
        var open = new Filter();
        open.Must.Add(Match(QdrantPayloads.Visibility, (long)Visibility.Public));
        open.Must.Add(Match(QdrantPayloads.OwnerPrivate, false));
        visible.Should.Add(Conditions.Filter(open));
        if (follows.Count > 0)
        {
            var followed = new Filter();
            followed.Must.Add(Match(QdrantPayloads.Owner, follows.Select(f => f.Value).Order().ToList()));
            followed.MustNot.Add(Match(QdrantPayloads.Visibility, (long)Visibility.Private));
            visible.Should.Add(Conditions.Filter(followed));
        }

        return visible;
    }
}
