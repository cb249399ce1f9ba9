namespace ImageSocial;

public sealed partial class ActingUser
{
    // Blocks are applied here, on every read that answers this user: the stores' visibility rule knows nothing of them (a block is a
    // pair of users, and one read of the user's own shard finds every account on the other side of one), so each path loads that set
    // once and leaves out what it names: posts, profiles, comments, connections. Short pages are the price; a cursor still goes on.

    /// <summary>Blocks an account: from now on neither sees the other's posts, profile, comments or connections through any read, follows
    /// in both directions (and pending requests) end, and neither can follow, like or comment on the other. Unblocking restores none of it.</summary>
    /// <param name="user">Whom to block.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">The acting user is the account.</exception>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    public Task BlockAsync(UserId user, CancellationToken cancellationToken = default) =>
        Run("Block", async () =>
        {
            if (user == Id)
            {
                throw new ValidationException("A user cannot block themselves.") { ParameterName = nameof(user) };
            }

            await ActiveAsync(cancellationToken).ConfigureAwait(false);
            if (await parts.Users.GetAsync(user, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new NotFoundException($"User {user} does not exist.");
            }

            // The block first: from here every read leaves the other out, whatever happens to the follows below (a retry finishes them).
            await parts.Graph.BlockAsync(Id, user, cancellationToken).ConfigureAwait(false);
            await EndFollowAsync(Id, user, cancellationToken).ConfigureAwait(false);
            await EndFollowAsync(user, Id, cancellationToken).ConfigureAwait(false);
        }, user.Value);

    /// <summary>Removes a block. Follows that the block ended stay ended.</summary>
    /// <param name="user">Whom to unblock.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task UnblockAsync(UserId user, CancellationToken cancellationToken = default) =>
        Run("Unblock", () => parts.Graph.UnblockAsync(Id, user, cancellationToken), user.Value);

    /// <summary>The accounts the acting user blocks, newest account first.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<User>> GetBlockedAsync(PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("GetBlocked", async () => await HydrateUsersAsync(await parts.Graph.GetBlockedAsync(Id, page, cancellationToken).ConfigureAwait(false), cancellationToken,
            keepBlocked: true).ConfigureAwait(false));

    /// <summary>Every account between which and the acting user there is a block, either way; read once per operation (a comment list
    /// checks the photo's owner and then each author against the same set).</summary>
    private Task<IReadOnlySet<UserId>> BlocksAsync(CancellationToken cancellationToken)
    {
        if (OperationScope.Current is { } scope && ReferenceEquals(scope.Owner, this))
        {
            return scope.Blocks ??= parts.Graph.GetBlocksEitherWayAsync(Id, cancellationToken);
        }

        return parts.Graph.GetBlocksEitherWayAsync(Id, cancellationToken);
    }

    /// <summary>The acting user, who must not be suspended to act.</summary>
    private async Task<User> ActiveAsync(CancellationToken cancellationToken)
    {
        var self = await UserAsync(Id, cancellationToken).ConfigureAwait(false);
        return self.IsSuspended ? throw new ForbiddenException("The account is suspended.") : self;
    }

    /// <summary>Another user's profile as the acting user may see it: absent (404) when suspended or blocked either way.</summary>
    private async Task<User> VisibleUserAsync(UserId user, CancellationToken cancellationToken)
    {
        var found = await UserAsync(user, cancellationToken).ConfigureAwait(false);
        return user == Id || (!found.IsSuspended && !(await BlocksAsync(cancellationToken).ConfigureAwait(false)).Contains(user))
            ? found
            : throw new NotFoundException($"User {user} does not exist.");
    }

    /// <summary>Ends a follow edge (or a pending request) with everything an unfollow does.</summary>
    private async Task EndFollowAsync(UserId follower, UserId followee, CancellationToken cancellationToken)
    {
        if (await parts.Graph.UnfollowAsync(follower, followee, cancellationToken).ConfigureAwait(false))
        {
            await parts.Cache.FollowChangedAsync(follower, followee).ConfigureAwait(false);
            await parts.Feed.OnUnfollowedAsync(follower, followee, cancellationToken).ConfigureAwait(false);
        }
    }
}
