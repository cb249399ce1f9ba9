namespace ImageSocial;

/// <summary>User profiles.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IUserStore
{
    /// <summary>Creates a user, with its password hash in the same write so that no account exists without its credential.</summary>
    /// <param name="user">The user, with an id from the SDK's id generator.</param>
    /// <param name="passwordHash">An opaque password hash made by the host (never a password), or <see langword="null"/> for an account that cannot sign in.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ConflictException">The handle or the id is taken.</exception>
    Task CreateAsync(User user, string? passwordHash = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the stored password hash, or <see langword="null"/> when the user is unknown or has none.</summary>
    /// <param name="id">The user id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<string?> GetPasswordHashAsync(UserId id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored password hash (a password change, or a rehash with stronger parameters).</summary>
    /// <param name="id">The user id.</param>
    /// <param name="passwordHash">The new opaque hash.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    Task SetPasswordHashAsync(UserId id, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>Gets a user, or <see langword="null"/> when there is none.</summary>
    /// <param name="id">The user id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<User?> GetAsync(UserId id, CancellationToken cancellationToken = default);

    /// <summary>Gets many users in one round trip; unknown ids are absent from the result.</summary>
    /// <param name="ids">The user ids.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyDictionary<UserId, User>> GetManyAsync(IReadOnlyCollection<UserId> ids, CancellationToken cancellationToken = default);

    /// <summary>Finds a user by handle (case-insensitive), or <see langword="null"/>.</summary>
    /// <param name="handle">The handle.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<User?> GetByHandleAsync(string handle, CancellationToken cancellationToken = default);

    /// <summary>Changes the display name and the private flag; a change of the flag applies to every later visibility check.</summary>
    /// <param name="user">The user with its new values.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    Task UpdateAsync(User user, CancellationToken cancellationToken = default);

    /// <summary>Suspends or reinstates an account: the flag on the user and, in the same transaction, on every photo of the user that the
    /// store's visibility reads filter on (as with <see cref="User.IsPrivate"/>), so that a suspended owner's photos leave every read at once.</summary>
    /// <param name="id">The user.</param>
    /// <param name="suspended">True to suspend, false to reinstate.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether the user exists.</returns>
    Task<bool> SetSuspendedAsync(UserId id, bool suspended, CancellationToken cancellationToken = default);

    /// <summary>Sets a user's role.</summary>
    /// <param name="id">The user.</param>
    /// <param name="role">The new role.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether the user exists.</returns>
    Task<bool> SetRoleAsync(UserId id, UserRole role, CancellationToken cancellationToken = default);
}
