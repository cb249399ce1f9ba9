using ImageSocial.Shared.Sql;
using Microsoft.Data.Sqlite;

namespace ImageSocial.Storage.Sqlite;

public sealed partial class SqliteMetadataStore
{
    private const string UserColumns = "id, handle, display_name, is_private, role, suspended";

    /// <inheritdoc />
    public Task CreateAsync(User user, string? passwordHash = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteAsync("CreateUser", (c, t) => Execute(c, t,
            "INSERT INTO users(id, handle, display_name, is_private, password_hash, role) VALUES (@id, @handle, @name, @private, @hash, @role)",
            ("@id", user.Id.Value), ("@handle", user.Handle), ("@name", user.DisplayName), ("@private", user.IsPrivate), ("@hash", passwordHash), ("@role", (int)user.Role)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> GetPasswordHashAsync(UserId id, CancellationToken cancellationToken = default) =>
        ReadAsync("GetPasswordHash", c => Query(c, null, r => r.IsDBNull(0) ? null : r.GetString(0), "SELECT password_hash FROM users WHERE id = @id", ("@id", id.Value))
            .FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task SetPasswordHashAsync(UserId id, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        return WriteAsync("SetPasswordHash", (c, t) => Execute(c, t, "UPDATE users SET password_hash = @hash WHERE id = @id", ("@id", id.Value), ("@hash", passwordHash)) != 0
            ? true
            : throw StoreErrors.UserNotFound(id), cancellationToken);
    }

    /// <inheritdoc />
    public Task<User?> GetAsync(UserId id, CancellationToken cancellationToken = default) =>
        ReadAsync("GetUser", c => Query(c, null, ReadUser, $"SELECT {UserColumns} FROM users WHERE id = @id", ("@id", id.Value)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<UserId, User>> GetManyAsync(IReadOnlyCollection<UserId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ReadAsync<IReadOnlyDictionary<UserId, User>>("GetUsers", c => Query(c, null, ReadUser,
            $"SELECT {UserColumns} FROM users WHERE id IN (SELECT value FROM json_each(@ids))", ("@ids", JsonIds(ids.Select(i => i.Value))))
            .ToDictionary(u => u.Id), cancellationToken);
    }

    /// <inheritdoc />
    public Task<User?> GetByHandleAsync(string handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return ReadAsync("GetUserByHandle", c => Query(c, null, ReadUser, $"SELECT {UserColumns} FROM users WHERE handle = @handle", ("@handle", handle)).FirstOrDefault(), cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteAsync("UpdateUser", (c, t) =>
        {
            var changed = Execute(c, t, "UPDATE users SET display_name = @name, is_private = @private WHERE id = @id",
                ("@id", user.Id.Value), ("@name", user.DisplayName), ("@private", user.IsPrivate));
            if (changed == 0)
            {
                throw StoreErrors.UserNotFound(user.Id);
            }

            // Photos carry their owner's flag so that visibility is one predicate on the photo row.
            Execute(c, t, "UPDATE photos SET owner_private = @private WHERE owner_id = @id", ("@id", user.Id.Value), ("@private", user.IsPrivate));
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetSuspendedAsync(UserId id, bool suspended, CancellationToken cancellationToken = default) =>
        WriteAsync("SetSuspended", (c, t) =>
        {
            if (Execute(c, t, "UPDATE users SET suspended = @s WHERE id = @id", ("@id", id.Value), ("@s", suspended)) == 0)
            {
                return false;
            }

            Execute(c, t, "UPDATE photos SET owner_suspended = @s WHERE owner_id = @id", ("@id", id.Value), ("@s", suspended));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetRoleAsync(UserId id, UserRole role, CancellationToken cancellationToken = default) =>
        WriteAsync("SetRole", (c, t) => Execute(c, t, "UPDATE users SET role = @role WHERE id = @id", ("@id", id.Value), ("@role", (int)role)) > 0, cancellationToken);

    private static User ReadUser(SqliteDataReader r) => new(new UserId(r.GetInt64(0)), r.GetString(1), r.GetString(2), r.GetBoolean(3)) { Role = (UserRole)r.GetInt32(4), IsSuspended = r.GetBoolean(5) };
}
