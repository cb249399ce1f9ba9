using Qdrant.Client.Grpc;

namespace ImageSocial.Vectors.Qdrant.Tests;

/// <summary>Reads the subset of Qdrant's documented filter semantics that the provider emits (must = all, should = at least one,
/// must_not = none; match on integer, integers, keyword in an array, boolean; integer range; has_id), and fails on anything else, so
/// the translation can be compared with the contract's own rule. It evaluates the request objects; it is not a stand-in for the server.</summary>
internal static class QdrantFilterReader
{
    internal static bool Passes(Filter? filter, long id, IReadOnlyDictionary<string, Value> payload) =>
        filter is null
        || (filter.Must.All(c => Passes(c, id, payload))
            && (filter.Should.Count == 0 || filter.Should.Any(c => Passes(c, id, payload)))
            && !filter.MustNot.Any(c => Passes(c, id, payload)));

    private static bool Passes(Condition condition, long id, IReadOnlyDictionary<string, Value> payload) => condition.ConditionOneOfCase switch
    {
        Condition.ConditionOneOfOneofCase.Filter => Passes(condition.Filter, id, payload),
        Condition.ConditionOneOfOneofCase.HasId => condition.HasId.HasId.Any(p => (long)p.Num == id),
        Condition.ConditionOneOfOneofCase.Field => Field(condition.Field, payload[condition.Field.Key]),
        _ => throw new NotSupportedException(condition.ConditionOneOfCase.ToString()),
    };

    private static bool Field(FieldCondition field, Value value)
    {
        // An array payload matches when any element does (Qdrant's rule for arrays).
        var values = value.KindCase == Value.KindOneofCase.ListValue ? value.ListValue.Values.ToList() : [value];
        if (field.Range is { } range)
        {
            return values.Any(v => (!range.HasGte || v.IntegerValue >= range.Gte) && (!range.HasLt || v.IntegerValue < range.Lt)
                && !range.HasGt && !range.HasLte);
        }

        var match = field.Match;
        return match.MatchValueCase switch
        {
            Match.MatchValueOneofCase.Integer => values.Any(v => v.IntegerValue == match.Integer),
            Match.MatchValueOneofCase.Integers => values.Any(v => match.Integers.Integers.Contains(v.IntegerValue)),
            Match.MatchValueOneofCase.Keyword => values.Any(v => v.StringValue == match.Keyword),
            Match.MatchValueOneofCase.Boolean => values.Any(v => v.BoolValue == match.Boolean),
            _ => throw new NotSupportedException(match.MatchValueCase.ToString()),
        };
    }
}
