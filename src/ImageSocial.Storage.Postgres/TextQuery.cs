using System.Text;

namespace ImageSocial.Storage.Postgres;

/// <summary>Turns user text into a safe tsquery: every word a quoted lexeme, all required, the last one a prefix. Query syntax in the
/// input is never interpreted.</summary>
internal static class TextQuery
{
    private const int MaxWords = 16;

    internal static string? Build(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in (text + " ").EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(rune.ToString());
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (words.Count == 0)
        {
            return null;
        }

        // Letters and digits only, so the quotes cannot be broken out of.
        var terms = words.Take(MaxWords).Select(w => "'" + w + "'").ToList();
        terms[^1] += ":*";
        return string.Join(" & ", terms);
    }
}
