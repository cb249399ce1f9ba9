namespace ImageSocial;

/// <summary>The SDK acting as one user (from <see cref="ImageSocialService.For"/>): that user's actions, and reads that return only
/// what that user may see. Every method takes the other party explicitly, never the acting user again.</summary>
/// <remarks>Cheap to create (no I/O) and thread-safe; make one per request.</remarks>
public sealed partial class ActingUser
{
    private readonly SdkParts parts;

    internal ActingUser(SdkParts parts, UserId id) => (this.parts, Id) = (parts, id);

    /// <summary>The acting user.</summary>
    public UserId Id { get; }

    /// <summary>The acting user's own profile.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">The acting user does not exist.</exception>
    public Task<User> GetProfileAsync(CancellationToken cancellationToken = default) =>
        Run("GetProfile", () => UserAsync(Id, cancellationToken));

    /// <summary>Grants or revokes a role (<see cref="UserRole.Member"/> revokes); only an admin may. Takes effect on the target's next
    /// request.</summary>
    /// <param name="user">The account.</param>
    /// <param name="role">The new role.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ForbiddenException">The acting user is not an admin.</exception>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    /// <exception cref="ValidationException">The role is not one of <see cref="UserRole"/>.</exception>
    public Task SetRoleAsync(UserId user, UserRole role, CancellationToken cancellationToken = default) =>
        Run("SetRole", async () =>
        {
            await RequireRoleAsync(UserRole.Admin, cancellationToken).ConfigureAwait(false);
            await Roles.SetAsync(parts, user, role, cancellationToken).ConfigureAwait(false);
            await AuditAsync("user.role", $"user:{user}", role.ToString().ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
        }, user.Value);

    /// <summary>Changes the acting user's display name and whether the account is private. A private account shows its photos to
    /// approved followers only; followers approved before stay. The index payloads of its photos follow in the background.</summary>
    /// <param name="displayName">The new display name, or <see langword="null"/> to keep it.</param>
    /// <param name="isPrivate">The new flag, or <see langword="null"/> to keep it.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The profile after the change.</returns>
    /// <exception cref="ValidationException">The display name is not valid.</exception>
    public Task<User> UpdateProfileAsync(string? displayName = null, bool? isPrivate = null, CancellationToken cancellationToken = default) =>
        Run("UpdateProfile", async () =>
        {
            var name = displayName is null ? null : InputRules.Text(displayName, "displayName", 100, allowEmpty: false);
            // Read-modify-write: from the store, never from the cache.
            var current = await parts.Users.GetAsync(Id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"User {Id} does not exist.");
            var updated = current with { DisplayName = name ?? current.DisplayName, IsPrivate = isPrivate ?? current.IsPrivate };
            if (updated == current)
            {
                return current;
            }

            await parts.Users.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
            await parts.Cache.UserChangedAsync(Id).ConfigureAwait(false);
            if (current.IsPrivate != updated.IsPrivate)
            {
                await parts.EnqueueAsync(OutboxMessage.Create(OutboxKinds.UserPrivacyChanged, Id.Value), cancellationToken).ConfigureAwait(false);
            }

            return updated;
        });

    /// <summary>Gets a user's profile.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user, it is suspended, or either blocks the other.</exception>
    public Task<User> GetUserAsync(UserId user, CancellationToken cancellationToken = default) =>
        Run("GetUser", () => VisibleUserAsync(user, cancellationToken), user.Value);

    /// <summary>A user's numbers of approved followers and of accounts followed (shown on any profile, private ones included).</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    public Task<FollowCounts> GetFollowCountsAsync(UserId user, CancellationToken cancellationToken = default) =>
        Run("GetFollowCounts", async () =>
        {
            await VisibleUserAsync(user, cancellationToken).ConfigureAwait(false);
            var (followers, following) = await parts.Cache.CountsAsync(user, cancellationToken).ConfigureAwait(false);
            return new FollowCounts(followers, following);
        }, user.Value);

    /// <summary>Finds a user by handle (any case).</summary>
    /// <param name="handle">The handle.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">No user has that handle.</exception>
    public Task<User> GetUserByHandleAsync(string handle, CancellationToken cancellationToken = default) =>
        Run("GetUserByHandle", async () =>
        {
            var clean = (handle ?? string.Empty).Trim().ToLowerInvariant();
            var found = (InputRules.IsHandle(clean) ? await parts.Users.GetByHandleAsync(clean, cancellationToken).ConfigureAwait(false) : null)
                ?? throw new NotFoundException("No user has that handle.");
            return found.Id == Id || (!found.IsSuspended && !(await BlocksAsync(cancellationToken).ConfigureAwait(false)).Contains(found.Id))
                ? found
                : throw new NotFoundException("No user has that handle.");
        });

    private async Task<User> UserAsync(UserId user, CancellationToken cancellationToken) =>
        await parts.Cache.UserAsync(user, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"User {user} does not exist.");

    // Each operation runs in its own scope (an async-local that flows into everything it awaits and is gone when it returns), so
    // that what one operation reads several times — the block set — is read once for that operation and never reused by another.
    private Task<T> Run<T>(string operation, Func<Task<T>> body, long? subject = null) =>
        Operations.RunAsync(operation, Id, async () =>
        {
            OperationScope.Current = new OperationScope(this);
            return await body().ConfigureAwait(false);
        }, subject);

    private Task Run(string operation, Func<Task> body, long? subject = null) =>
        Operations.RunAsync(operation, Id, async () =>
        {
            OperationScope.Current = new OperationScope(this);
            await body().ConfigureAwait(false);
        }, subject);

    /// <summary>What one operation of one acting user has read and may read again.</summary>
    private sealed class OperationScope(ActingUser owner)
    {
        private static readonly AsyncLocal<OperationScope?> Local = new();

        public static OperationScope? Current
        {
            get => Local.Value;
            set => Local.Value = value;
        }

        public ActingUser Owner { get; } = owner;

        /// <summary>The accounts blocked either way, read on first use.</summary>
        public Task<IReadOnlySet<UserId>>? Blocks { get; set; }
    }
}
