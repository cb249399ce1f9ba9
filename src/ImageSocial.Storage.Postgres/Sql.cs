using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>Small helpers over Npgsql commands with positional parameters (<c>$1</c>, <c>$2</c>, …).</summary>
internal static class Sql
{
    internal static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] args)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        AddArgs(command.Parameters, args);
        return command;
    }

    internal static NpgsqlBatchCommand BatchCommand(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddArgs(command.Parameters, args);
        return command;
    }

    /// <summary>Replaces <c>{s}</c> with a shard's schema; schema names are generated, never user input.</summary>
    internal static string For(string template, string schema) => template.Replace("{s}", schema, StringComparison.Ordinal);

    internal static async Task<int> ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction? t, string sql, CancellationToken ct, params object?[] args)
    {
        var command = Command(c, t, sql, args);
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection c, NpgsqlTransaction? t, string sql, CancellationToken ct, params object?[] args)
    {
        var command = Command(c, t, sql, args);
        await using var commandScope = command.ConfigureAwait(false);
        var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    internal static async Task<List<T>> QueryAsync<T>(NpgsqlConnection c, NpgsqlTransaction? t, Func<NpgsqlDataReader, T> map, string sql, CancellationToken ct, params object?[] args)
    {
        var command = Command(c, t, sql, args);
        await using var commandScope = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }

    /// <summary>Runs one statement per shard in one round trip and concatenates the rows.</summary>
    internal static async Task<List<T>> BatchQueryAsync<T>(NpgsqlConnection c, IEnumerable<NpgsqlBatchCommand> commands, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        var batch = new NpgsqlBatch(c);
        await using var batchScope = batch.ConfigureAwait(false);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        var list = new List<T>();
        if (batch.BatchCommands.Count == 0)
        {
            return list;
        }

        var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);

        await using var readerScope = reader.ConfigureAwait(false);
        do
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(map(reader));
            }
        }
        while (await reader.NextResultAsync(ct).ConfigureAwait(false));
        return list;
    }

    private static void AddArgs(NpgsqlParameterCollection parameters, object?[] args)
    {
        foreach (var arg in args)
        {
            parameters.Add(new NpgsqlParameter { Value = arg switch { null => DBNull.Value, DateTimeOffset d => d.ToUniversalTime(), _ => arg } });
        }
    }

    internal static DateTimeOffset? Time(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    internal static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
