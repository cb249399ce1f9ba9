using ImageSocial.ProviderServices;
namespace ImageSocial.Storage.Postgres;

/// <summary>Turns user text into a safe tsquery: every word a quoted lexeme, all required, the last one a prefix. Query syntax in the
/// input is never interpreted.</summary>
internal static class TextQuery
{
    internal static string? Build(string? text)
    {
        var words = SearchWords.Split(text);
        if (words.Count == 0)
        {
            return null;
        }

        // Letters and digits only, so the quotes cannot be broken out of.
        var terms = words.Select(w => "'" + w + "'").ToList();
        terms[^1] += ":*";
        return string.Join(" & ", terms);
    }
}
