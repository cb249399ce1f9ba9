using Qdrant.Client.Grpc;

namespace ImageSocial.Vectors.Qdrant.Tests;

/// <summary>The translation of <see cref="VectorFilter"/> into Qdrant's filter, checked on the client's own request objects: the exact
/// tree for a full filter, and, over many random payloads and filters, that the tree selects exactly what
/// <see cref="VectorFilter.Matches"/> selects (read by <see cref="QdrantFilterReader"/>).</summary>
public sealed class QdrantFilterTests
{
    private static readonly UserId Alice = new(SnowflakeId.Compose(1, 1, 1));
    private static readonly UserId Bob = new(SnowflakeId.Compose(1, 2, 1));
    private static readonly UserId Carol = new(SnowflakeId.Compose(1, 3, 1));

    [Fact]
    public void No_filter_and_an_empty_filter_send_none()
    {
        Assert.Null(QdrantFilters.From(null));
        Assert.Null(QdrantFilters.From(new VectorFilter()));
    }

    [Fact]
    public void A_full_filter_becomes_must_conditions_a_should_tree_and_a_must_not()
    {
        var after = DateTimeOffset.UnixEpoch.AddDays(3);
        var before = DateTimeOffset.UnixEpoch.AddDays(9);
        var filter = QdrantFilters.From(new VectorFilter
        {
            Viewer = Alice, ViewerFollows = new HashSet<UserId> { Carol, Bob }, Owner = Bob, Tag = "sea", CreatedAfter = after, CreatedBefore = before, ExcludeId = 42,
        })!;

        Assert.Equal(4, filter.Must.Count);
        Assert.Equal(("owner", Bob.Value), (filter.Must[0].Field.Key, filter.Must[0].Field.Match.Integer));
        Assert.Equal(("tags", "sea"), (filter.Must[1].Field.Key, filter.Must[1].Field.Match.Keyword));
        var range = filter.Must[2].Field;
        Assert.Equal(("created_at_ms", after.ToUnixTimeMilliseconds(), before.ToUnixTimeMilliseconds()), (range.Key, (long)range.Range.Gte, (long)range.Range.Lt));
        Assert.False(range.Range.HasGt || range.Range.HasLte);

        var visible = filter.Must[3].Filter;
        Assert.Empty(visible.Must);
        Assert.Equal(3, visible.Should.Count);
        Assert.Equal(("owner", Alice.Value), (visible.Should[0].Field.Key, visible.Should[0].Field.Match.Integer));
        var open = visible.Should[1].Filter;
        Assert.Equal(("visibility", 0L), (open.Must[0].Field.Key, open.Must[0].Field.Match.Integer));
        Assert.Equal(("owner_private", false), (open.Must[1].Field.Key, open.Must[1].Field.Match.Boolean));
        var followed = visible.Should[2].Filter;
        Assert.Equal("owner", followed.Must[0].Field.Key);
        Assert.Equal(new[] { Bob.Value, Carol.Value }.Order(), followed.Must[0].Field.Match.Integers.Integers);
        Assert.Equal(("visibility", 2L), (followed.MustNot[0].Field.Key, followed.MustNot[0].Field.Match.Integer));

        Assert.Equal(42UL, Assert.Single(Assert.Single(filter.MustNot).HasId.HasId).Num);
    }

    [Fact]
    public void Without_followees_the_rule_has_no_followee_branch()
    {
        var visible = QdrantFilters.From(new VectorFilter { Viewer = Alice })!.Must.Single().Filter;
        Assert.Equal(2, visible.Should.Count);
        Assert.DoesNotContain(visible.Should, c => c.Filter?.Must.Any(m => m.Field?.Match?.Integers is not null) == true);
    }

    [Fact]
    public void The_tree_selects_exactly_what_the_contract_selects()
    {
        var random = new Random(1234);
        UserId[] users = [Alice, Bob, Carol];
        string[][] tagSets = [[], ["a"], ["a", "b"], ["b"]];
        var checkedPairs = 0;
        for (var round = 0; round < 400; round++)
        {
            var filter = new VectorFilter
            {
                Viewer = random.Next(4) == 0 ? null : users[random.Next(3)],
                ViewerFollows = users.Where(_ => random.Next(2) == 0).ToHashSet(),
                Owner = random.Next(3) == 0 ? users[random.Next(3)] : null,
                Tag = random.Next(3) == 0 ? (random.Next(2) == 0 ? "a" : "b") : null,
                CreatedAfter = random.Next(3) == 0 ? DateTimeOffset.UnixEpoch.AddDays(random.Next(10)) : null,
                CreatedBefore = random.Next(3) == 0 ? DateTimeOffset.UnixEpoch.AddDays(random.Next(10)) : null,
                ExcludeId = random.Next(3) == 0 ? random.Next(1, 6) : null,
            };
            var translated = QdrantFilters.From(filter);
            for (var i = 0; i < 20; i++)
            {
                long id = random.Next(1, 6);
                var payload = new VectorPayload(users[random.Next(3)], (Visibility)random.Next(3), random.Next(2) == 0,
                    DateTimeOffset.UnixEpoch.AddDays(random.Next(10)), tagSets[random.Next(tagSets.Length)]);
                Assert.Equal(filter.Matches(id, payload), QdrantFilterReader.Passes(translated, id, QdrantPayloads.ToValues(payload)));
                checkedPairs++;
            }
        }

        Assert.Equal(8000, checkedPairs);
    }
}
