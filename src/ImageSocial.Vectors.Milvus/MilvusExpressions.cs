using System.Globalization;
using System.Text;

namespace ImageSocial.Vectors.Milvus;

/// <summary>Builds Milvus boolean expressions from a <see cref="VectorFilter"/>. Numbers come from typed values; the one string (a tag)
/// goes through <see cref="Quote"/>, so no value can change the expression's shape.</summary>
internal static class MilvusExpressions
{
    /// <summary>The filter expression, or <see langword="null"/> when nothing narrows the search.</summary>
    internal static string? From(VectorFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }

        var parts = new List<string>();
        if (filter.Owner is { } owner)
        {
            parts.Add(Invariant($"{MilvusFields.Owner} == {owner.Value}"));
        }

        if (filter.Tag is { } tag)
        {
            parts.Add($"ARRAY_CONTAINS({MilvusFields.Tags}, {Quote(tag)})");
        }

        if (filter.CreatedAfter is { } after)
        {
            parts.Add(Invariant($"{MilvusFields.CreatedAt} >= {after.ToUnixTimeMilliseconds()}"));
        }

        if (filter.CreatedBefore is { } before)
        {
            parts.Add(Invariant($"{MilvusFields.CreatedAt} < {before.ToUnixTimeMilliseconds()}"));
        }

        if (filter.Viewer is { } viewer)
        {
            parts.Add(Visible(viewer, filter.ViewerFollows));
        }

        if (filter.ExcludeId is { } excluded)
        {
            parts.Add(Invariant($"{MilvusFields.Id} != {excluded}"));
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    /// <summary>The expression that selects the given ids.</summary>
    internal static string Ids(IEnumerable<long> ids) => $"{MilvusFields.Id} in [{string.Join(", ", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)))}]";

    /// <summary>A Milvus string literal (double-quoted) whose parser yields exactly <paramref name="value"/>: quote and backslash are
    /// escaped, control characters are written as <c>\uXXXX</c>.</summary>
    internal static string Quote(string value)
    {
        Utf8Bytes(value);
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }

    /// <summary>The UTF-8 length of a string Milvus keeps; a lone surrogate (not valid Unicode, and no JSON or expression can carry it
    /// unchanged) is refused.</summary>
    internal static int Utf8Bytes(string value)
    {
        try
        {
            return StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ValidationException("A tag is not valid Unicode (it holds a lone surrogate).") { ParameterName = "tag" };
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>The visibility rule (<see cref="ProviderServices.VisibilityRules.CanSee"/>): the viewer's own; public photos of public
    /// accounts; anything but private from the owners the viewer follows.</summary>
    private static string Visible(UserId viewer, IReadOnlySet<UserId> follows)
    {
        var rule = Invariant($"({MilvusFields.Owner} == {viewer.Value} or ({MilvusFields.Visibility} == {(int)Visibility.Public} and {MilvusFields.OwnerPrivate} == false)");
        if (follows.Count > 0)
        {
            rule += Invariant($" or ({MilvusFields.Visibility} != {(int)Visibility.Private} and {MilvusFields.Owner} in [{string.Join(", ", follows.Select(f => f.Value).Order())}])");
        }

        return rule + ")";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
