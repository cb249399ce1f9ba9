using ImageSocial.ProviderServices;
namespace ImageSocial.Storage.Sqlite;

/// <summary>Turns user text into a safe FTS5 query: every word quoted, the last one a prefix. FTS5 syntax in the input is never interpreted.</summary>
internal static class FullTextQuery
{
    internal static string? Build(string? text)
    {
        var words = SearchWords.Split(text);
        if (words.Count == 0)
        {
            return null;
        }

        // Letters and digits only, so quoting cannot be broken out of.
        var terms = words.Select(w => "\"" + w + "\"").ToList();
        terms[^1] += "*";
        return string.Join(' ', terms);
    }
}
