namespace ImageSocial.Storage.Sqlite;

/// <summary>The SQLite result codes the store reacts to (<see href="https://www.sqlite.org/rescode.html"/>).</summary>
internal static class SqliteErrors
{
    internal const int Busy = 5;
    internal const int Locked = 6;
    internal const int ConstraintForeignKey = 787;
    internal const int ConstraintPrimaryKey = 1555;
    internal const int ConstraintUnique = 2067;
}
