using System.Text;

namespace ImageSocial.ProviderServices;

/// <summary>The words of a title search as every metadata provider reads them: runs of letters and digits, at most
/// <see cref="MaxWords"/>. Anything else in the text (quotes, operators, query syntax) only separates words.</summary>
public static class SearchWords
{
    /// <summary>The most words a search uses; later ones are ignored.</summary>
    public const int MaxWords = 16;

    /// <summary>Splits search text into words.</summary>
    /// <param name="text">The user's text, or <see langword="null"/>.</param>
    /// <returns>The words in order; empty when the text has none.</returns>
    public static IReadOnlyList<string> Split(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }

        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
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

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words.Count > MaxWords ? words[..MaxWords] : words;
    }
}
