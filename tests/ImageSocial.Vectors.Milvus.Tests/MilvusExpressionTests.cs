using System.Text;

namespace ImageSocial.Vectors.Milvus.Tests;

/// <summary>Filter expressions from <see cref="VectorFilter"/>: the exact text, and hostile tag strings that must stay one string literal.</summary>
public sealed class MilvusExpressionTests
{
    private static readonly UserId Alice = new(SnowflakeId.Compose(1, 1, 1));
    private static readonly UserId Bob = new(SnowflakeId.Compose(1, 2, 1));
    private static readonly UserId Carol = new(SnowflakeId.Compose(1, 3, 1));

    [Fact]
    public void A_full_filter_is_one_conjunction_with_the_visibility_rule_in_parentheses()
    {
        var after = DateTimeOffset.UnixEpoch.AddDays(3);
        var before = DateTimeOffset.UnixEpoch.AddDays(9);
        var expression = MilvusExpressions.From(new VectorFilter
        {
            Viewer = Alice, ViewerFollows = new HashSet<UserId> { Carol, Bob }, Owner = Bob, Tag = "sea", CreatedAfter = after, CreatedBefore = before, ExcludeId = 42,
        });
        var follows = string.Join(", ", new[] { Bob.Value, Carol.Value }.Order());
        Assert.Equal(
            $"owner == {Bob.Value} and ARRAY_CONTAINS(tags, \"sea\") and created_at >= {after.ToUnixTimeMilliseconds()} and created_at < {before.ToUnixTimeMilliseconds()}"
            + $" and (owner == {Alice.Value} or (visibility == 0 and owner_private == false) or (visibility != 2 and owner in [{follows}])) and id != 42",
            expression);
    }

    [Fact]
    public void Nothing_to_filter_sends_no_expression_and_no_followees_no_followee_branch()
    {
        Assert.Null(MilvusExpressions.From(null));
        Assert.Null(MilvusExpressions.From(new VectorFilter()));
        Assert.Equal($"(owner == {Alice.Value} or (visibility == 0 and owner_private == false))", MilvusExpressions.From(new VectorFilter { Viewer = Alice }));
        Assert.Equal("id in [1, 2, 3]", MilvusExpressions.Ids([1, 2, 3]));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\" or owner == 1 or \"", "\"a\\\" or owner == 1 or \\\"\"")]
    [InlineData("\\", "\"\\\\\"")]
    [InlineData("\\\" or true or \"", "\"\\\\\\\" or true or \\\"\"")]
    [InlineData("line\nbreak\r\ttab", "\"line\\nbreak\\r\\ttab\"")]
    [InlineData("nul\0bell\u0007del\u007f", "\"nul\\u0000bell\\u0007del\\u007f\"")]
    [InlineData("it's ) ] } ,", "\"it's ) ] } ,\"")]
    [InlineData("日本語 🌊", "\"日本語 🌊\"")]
    public void Hostile_tags_are_escaped_into_one_literal(string tag, string literal)
    {
        Assert.Equal(literal, MilvusExpressions.Quote(tag));
        Assert.Equal(tag, Unquote(literal));
        Assert.Equal($"ARRAY_CONTAINS(tags, {literal})", MilvusExpressions.From(new VectorFilter { Tag = tag }));
    }

    [Fact]
    public void Random_strings_stay_one_literal_that_reads_back_unchanged()
    {
        var random = new Random(77);
        const string alphabet = "ab\"\\'\n\r\t\0\u0001 ()[]{}=<>!&|,.;#%日🌊";
        var runes = alphabet.EnumerateRunes().ToArray();
        for (var i = 0; i < 2000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => runes[random.Next(runes.Length)].ToString()));
            var literal = MilvusExpressions.Quote(text);
            Assert.Equal(text, Unquote(literal));
        }
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        Assert.Throws<ValidationException>(() => MilvusExpressions.From(new VectorFilter { Tag = "bad\ud800" }));
    }

    /// <summary>Reads a double-quoted literal by the escape rules of Milvus's expression grammar (C-style escapes, <c>\uXXXX</c>); fails
    /// if a quote ends the literal early or an escape is unknown.</summary>
    private static string Unquote(string literal)
    {
        Assert.True(literal.Length >= 2 && literal[0] == '"' && literal[^1] == '"');
        var text = new StringBuilder();
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            Assert.False(c == '"', $"an unescaped quote at {i} ends the literal early: {literal}");
            Assert.False(c is '\n' or '\r', "a raw line break");
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            var escape = literal[++i];
            text.Append(escape switch
            {
                '"' => "\"",
                '\\' => "\\",
                'n' => "\n",
                'r' => "\r",
                't' => "\t",
                'u' => ((char)Convert.ToInt32(literal.Substring(i + 1, 4), 16)).ToString(),
                _ => throw new InvalidOperationException($"unknown escape \\{escape}"),
            });
            if (escape == 'u')
            {
                i += 4;
            }
        }

        return text.ToString();
    }
}
