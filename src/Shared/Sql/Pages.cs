using ImageSocial.ProviderServices;

namespace ImageSocial.Shared.Sql;

/// <summary>Cursor pages from id-ordered rows, and the error texts both SQL providers raise.</summary>
/// <remarks>Shared source, compiled into the SQLite and PostgreSQL providers.</remarks>
internal static class Pages
{
    /// <summary>Makes a page from up to <paramref name="limit"/>+1 rows (the extra row only says that there is a next page).</summary>
    internal static Page<T> From<T>(List<T> rows, int limit, Func<T, long> key) =>
        rows.Count > limit
            ? new Page<T>(rows.GetRange(0, limit), IdCursor.Encode(key(rows[limit - 1])))
            : new Page<T>(rows, null);
}
