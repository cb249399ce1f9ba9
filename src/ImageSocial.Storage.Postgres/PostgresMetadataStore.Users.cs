using ImageSocial.Shared.Sql;
using System.Text;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

public sealed partial class PostgresMetadataStore
{
    private const string UserColumns = "id, handle, display_name, is_private, role, suspended";

    /// <inheritdoc />
    /// <remarks>The handle is reserved first on the shard it hashes to, then the profile is written on the user's shard, then the
    /// reservation is read again. A reservation left by a crash between the two writes (no such user) is taken over by the next
    /// claimant; a profile whose reservation was taken over meanwhile is withdrawn.</remarks>
    public async Task CreateAsync(User user, string? passwordHash = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var key = HandleKey(user.Handle);
        var handleShard = HandleShard(key);
        var holder = await cluster.WriteAsync("ReserveHandle", handleShard, async (c, t, s) =>
            await Sql.ScalarAsync(c, t, Sql.For("""
                INSERT INTO {s}.handles(handle, user_id) VALUES ($1, $2)
                ON CONFLICT (handle) DO UPDATE SET user_id = {s}.handles.user_id RETURNING user_id
                """, s), cancellationToken, key, user.Id.Value).ConfigureAwait(false) as long?, cancellationToken).ConfigureAwait(false);
        if (holder != user.Id.Value)
        {
            if (await GetAsync(new UserId(holder!.Value), cancellationToken).ConfigureAwait(false) is not null || !await TakeOverAsync(key, holder.Value, user.Id, cancellationToken).ConfigureAwait(false))
            {
                throw new ConflictException($"The handle '{user.Handle}' is taken.") { ProviderName = PostgresCluster.Provider, OperationName = "CreateUser" };
            }
        }

        try
        {
            await cluster.WriteAsync("CreateUser", user.Id.LogicalShard, async (c, t, s) => await Sql.ExecuteAsync(c, t, Sql.For(
                "INSERT INTO {s}.users(id, handle, display_name, is_private, password_hash, role) VALUES ($1, $2, $3, $4, $5, $6)", s), cancellationToken,
                user.Id.Value, user.Handle, user.DisplayName, user.IsPrivate, passwordHash, (short)user.Role).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
            await ReleaseHandleAsync(key, user.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // A concurrent claimant may have taken the reservation over while this profile was being written (it looked orphaned):
        // whoever holds the handle now keeps it, and this account is withdrawn.
        if (await HandleHolderAsync(key, cancellationToken).ConfigureAwait(false) != user.Id.Value)
        {
            await cluster.WriteAsync("CreateUser", user.Id.LogicalShard, (c, t, s) =>
                Sql.ExecuteAsync(c, t, Sql.For("DELETE FROM {s}.users WHERE id = $1", s), CancellationToken.None, user.Id.Value), CancellationToken.None).ConfigureAwait(false);
            throw new ConflictException($"The handle '{user.Handle}' is taken.") { ProviderName = PostgresCluster.Provider, OperationName = "CreateUser" };
        }
    }

    /// <inheritdoc />
    public Task<string?> GetPasswordHashAsync(UserId id, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(id.LogicalShard) ? Task.FromResult<string?>(null) :
        cluster.ReadAsync("GetPasswordHash", id.LogicalShard, false, async (c, s) =>
            await Sql.ScalarAsync(c, null, Sql.For("SELECT password_hash FROM {s}.users WHERE id = $1", s), cancellationToken, id.Value).ConfigureAwait(false) as string, cancellationToken);

    /// <inheritdoc />
    public async Task SetPasswordHashAsync(UserId id, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        if (!cluster.IsShard(id.LogicalShard) || await cluster.WriteAsync("SetPasswordHash", id.LogicalShard, (c, t, s) =>
            Sql.ExecuteAsync(c, t, Sql.For("UPDATE {s}.users SET password_hash = $2 WHERE id = $1", s), cancellationToken, id.Value, passwordHash), cancellationToken).ConfigureAwait(false) == 0)
        {
            throw StoreErrors.UserNotFound(id);
        }
    }

    /// <inheritdoc />
    public Task<User?> GetAsync(UserId id, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(id.LogicalShard) ? Task.FromResult<User?>(null) :
        cluster.ReadAsync("GetUser", id.LogicalShard, false, async (c, s) =>
            (await Sql.QueryAsync(c, null, ReadUser, Sql.For($"SELECT {UserColumns} FROM {{s}}.users WHERE id = $1", s), cancellationToken, id.Value).ConfigureAwait(false)).FirstOrDefault(),
            cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<UserId, User>> GetManyAsync(IReadOnlyCollection<UserId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var users = await cluster.FanOutAsync("GetUsers", ids.Distinct(), i => i.LogicalShard, true, (c, shards) => Sql.BatchQueryAsync(c,
            shards.Select(g => Sql.BatchCommand(Sql.For($"SELECT {UserColumns} FROM {{s}}.users WHERE id = ANY($1)", PgSchema.SchemaName(g.Key)), g.Select(i => i.Value).ToArray())),
            ReadUser, cancellationToken), cancellationToken).ConfigureAwait(false);
        return users.ToDictionary(u => u.Id);
    }

    /// <inheritdoc />
    public async Task<User?> GetByHandleAsync(string handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var key = HandleKey(handle);
        var id = await HandleHolderAsync(key, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await GetAsync(new UserId(id.Value), cancellationToken).ConfigureAwait(false) is { } user && HandleKey(user.Handle) == key ? user : null;
    }

    /// <inheritdoc />
    public async Task UpdateAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var changed = cluster.IsShard(user.Id.LogicalShard) && await cluster.WriteAsync("UpdateUser", user.Id.LogicalShard, async (c, t, s) =>
        {
            if (await Sql.ExecuteAsync(c, t, Sql.For("UPDATE {s}.users SET display_name = $2, is_private = $3 WHERE id = $1", s), cancellationToken,
                user.Id.Value, user.DisplayName, user.IsPrivate).ConfigureAwait(false) == 0)
            {
                return false;
            }

            // The search projection carries the owner's flag so that search filters in one table.
            await Sql.ExecuteAsync(c, t, "UPDATE imagesocial.photo_index SET owner_private = $2 WHERE owner_id = $1 AND owner_private <> $2", cancellationToken,
                user.Id.Value, user.IsPrivate).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (!changed)
        {
            throw StoreErrors.UserNotFound(user.Id);
        }
    }

    /// <summary>The user id a handle is reserved for, from the primary, or <see langword="null"/>.</summary>
    private Task<long?> HandleHolderAsync(string key, CancellationToken cancellationToken) =>
        cluster.ReadAsync("GetHandle", HandleShard(key), false, async (c, s) =>
            await Sql.ScalarAsync(c, null, Sql.For("SELECT user_id FROM {s}.handles WHERE handle = $1", s), cancellationToken, key).ConfigureAwait(false) as long?, cancellationToken);

    private Task<bool> TakeOverAsync(string key, long orphanOwner, UserId user, CancellationToken cancellationToken) =>
        cluster.WriteAsync("ReserveHandle", HandleShard(key), async (c, t, s) => await Sql.ExecuteAsync(c, t,
            Sql.For("UPDATE {s}.handles SET user_id = $3 WHERE handle = $1 AND user_id = $2", s), cancellationToken, key, orphanOwner, user.Value).ConfigureAwait(false) == 1, cancellationToken);

    private Task<int> ReleaseHandleAsync(string key, UserId user, CancellationToken cancellationToken) =>
        cluster.WriteAsync("ReleaseHandle", HandleShard(key), (c, t, s) =>
            Sql.ExecuteAsync(c, t, Sql.For("DELETE FROM {s}.handles WHERE handle = $1 AND user_id = $2", s), cancellationToken, key, user.Value), cancellationToken);

    /// <summary>Handles compare ignoring ASCII case, as on the embedded store.</summary>
    private static string HandleKey(string handle) => handle.ToLowerInvariant();

    /// <summary>The shard a handle's reservation lives on: FNV-1a of its UTF-8 bytes, stable across processes and versions.</summary>
    private int HandleShard(string key)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)cluster.ShardCount);
    }

    /// <inheritdoc />
    public Task<bool> SetSuspendedAsync(UserId id, bool suspended, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(id.LogicalShard) ? Task.FromResult(false) : cluster.WriteAsync("SetSuspended", id.LogicalShard, async (c, t, s) =>
        {
            if (await Sql.ExecuteAsync(c, t, Sql.For("UPDATE {s}.users SET suspended = $2 WHERE id = $1", s), cancellationToken, id.Value, suspended).ConfigureAwait(false) == 0)
            {
                return false;
            }

            // The server's index carries the owner's flag (as it does is_private) so that every read across users filters in one table.
            await Sql.ExecuteAsync(c, t, "UPDATE imagesocial.photo_index SET owner_suspended = $2 WHERE owner_id = $1 AND owner_suspended <> $2", cancellationToken,
                id.Value, suspended).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetRoleAsync(UserId id, UserRole role, CancellationToken cancellationToken = default) =>
        !cluster.IsShard(id.LogicalShard) ? Task.FromResult(false) : cluster.WriteAsync("SetRole", id.LogicalShard, async (c, t, s) =>
            await Sql.ExecuteAsync(c, t, Sql.For("UPDATE {s}.users SET role = $2 WHERE id = $1", s), cancellationToken, id.Value, (short)role).ConfigureAwait(false) > 0,
            cancellationToken);

    private static User ReadUser(NpgsqlDataReader r) => new(new UserId(r.GetInt64(0)), r.GetString(1), r.GetString(2), r.GetBoolean(3)) { Role = (UserRole)r.GetInt16(4), IsSuspended = r.GetBoolean(5) };
}
