namespace ImageSocial;

public sealed partial class ActingUser
{
    /// <summary>Follows an account; a private account gets a pending request that its owner approves or rejects.</summary>
    /// <param name="followee">Whom to follow.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns><see cref="FollowState.Following"/> or <see cref="FollowState.Pending"/>.</returns>
    /// <exception cref="ValidationException">The acting user is the followee.</exception>
    /// <exception cref="NotFoundException">Either account does not exist, or either blocks the other, or the followee is suspended.</exception>
    /// <exception cref="ForbiddenException">The acting user is suspended.</exception>
    public Task<FollowState> FollowAsync(UserId followee, CancellationToken cancellationToken = default) =>
        Run("Follow", async () =>
        {
            if (followee == Id)
            {
                throw new ValidationException("A user cannot follow themselves.") { ParameterName = nameof(followee) };
            }

            await ActiveAsync(cancellationToken).ConfigureAwait(false);
            var target = await VisibleUserAsync(followee, cancellationToken).ConfigureAwait(false);
            var state = await parts.Graph.FollowAsync(Id, followee, target.IsPrivate, cancellationToken).ConfigureAwait(false);
            if (state == FollowState.Following)
            {
                await parts.Cache.FollowChangedAsync(Id, followee).ConfigureAwait(false);
                await parts.Feed.OnFollowedAsync(Id, followee, cancellationToken).ConfigureAwait(false);
            }

            return state;
        }, followee.Value);

    /// <summary>Stops following an account, or withdraws a pending request; nothing happens when there is neither.</summary>
    /// <param name="followee">Whom to stop following.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task UnfollowAsync(UserId followee, CancellationToken cancellationToken = default) =>
        Run("Unfollow", async () =>
        {
            if (await parts.Graph.UnfollowAsync(Id, followee, cancellationToken).ConfigureAwait(false))
            {
                await parts.Cache.FollowChangedAsync(Id, followee).ConfigureAwait(false);
                await parts.Feed.OnUnfollowedAsync(Id, followee, cancellationToken).ConfigureAwait(false);
            }
        }, followee.Value);

    /// <summary>The state of the acting user's follow of another account.</summary>
    /// <param name="followee">The other account.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<FollowState> GetFollowStateAsync(UserId followee, CancellationToken cancellationToken = default) =>
        Run("GetFollowState", () => parts.Graph.GetStateAsync(Id, followee, cancellationToken), followee.Value);

    /// <summary>Approves a pending request to follow the acting user.</summary>
    /// <param name="requester">Who asked.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such pending request.</exception>
    public Task ApproveFollowRequestAsync(UserId requester, CancellationToken cancellationToken = default) =>
        Run("ApproveFollowRequest", async () =>
        {
            if ((await BlocksAsync(cancellationToken).ConfigureAwait(false)).Contains(requester))
            {
                throw new NotFoundException("There is no such follow request.");
            }

            if (!await parts.Graph.ApproveAsync(Id, requester, cancellationToken).ConfigureAwait(false))
            {
                throw new NotFoundException("There is no such follow request.");
            }

            await parts.Cache.FollowChangedAsync(requester, Id).ConfigureAwait(false);
            await parts.Feed.OnFollowedAsync(requester, Id, cancellationToken).ConfigureAwait(false);
        }, requester.Value);

    /// <summary>Rejects a pending request to follow the acting user.</summary>
    /// <param name="requester">Who asked.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such pending request.</exception>
    public Task RejectFollowRequestAsync(UserId requester, CancellationToken cancellationToken = default) =>
        Run("RejectFollowRequest", async () =>
        {
            if (!await parts.Graph.RejectAsync(Id, requester, cancellationToken).ConfigureAwait(false))
            {
                throw new NotFoundException("There is no such follow request.");
            }
        }, requester.Value);

    /// <summary>The pending requests to follow the acting user.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<User>> GetFollowRequestsAsync(PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("GetFollowRequests", async () => await HydrateUsersAsync(await parts.Graph.GetPendingRequestsAsync(Id, page, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false));

    /// <summary>A user's approved followers; for a private account only its owner and approved followers may list them.</summary>
    /// <param name="user">The account.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user, or its connections are not visible to the acting user.</exception>
    public Task<Page<User>> GetFollowersAsync(UserId user, PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("GetFollowers", async () =>
        {
            await EnsureCanSeeConnectionsAsync(user, cancellationToken).ConfigureAwait(false);
            return await HydrateUsersAsync(await parts.Graph.GetFollowersAsync(user, page, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }, user.Value);

    /// <summary>The accounts a user follows; for a private account only its owner and approved followers may list them.</summary>
    /// <param name="user">The account.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user, or its connections are not visible to the acting user.</exception>
    public Task<Page<User>> GetFollowingAsync(UserId user, PageRequest page = default, CancellationToken cancellationToken = default) =>
        Run("GetFollowing", async () =>
        {
            await EnsureCanSeeConnectionsAsync(user, cancellationToken).ConfigureAwait(false);
            return await HydrateUsersAsync(await parts.Graph.GetFollowingAsync(user, page, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }, user.Value);

    private async Task EnsureCanSeeConnectionsAsync(UserId user, CancellationToken cancellationToken)
    {
        var account = await VisibleUserAsync(user, cancellationToken).ConfigureAwait(false);
        if (account.IsPrivate && user != Id && await parts.Graph.GetStateAsync(Id, user, cancellationToken).ConfigureAwait(false) != FollowState.Following)
        {
            throw new NotFoundException($"User {user} has no visible connections.");
        }
    }

    /// <summary>The users of a page of ids, leaving out suspended accounts and those blocked either way (a list of whom the acting user
    /// blocks keeps those).</summary>
    private async Task<Page<User>> HydrateUsersAsync(Page<UserId> page, CancellationToken cancellationToken, bool keepBlocked = false)
    {
        var found = await parts.Cache.UsersAsync(page.Items.ToList(), cancellationToken).ConfigureAwait(false);
        var blocks = keepBlocked ? new HashSet<UserId>() : await BlocksAsync(cancellationToken).ConfigureAwait(false);
        return new Page<User>(page.Items.Where(i => found.TryGetValue(i, out var u) && !u.IsSuspended && !blocks.Contains(i)).Select(i => found[i]).ToList(),
            page.NextCursor);
    }
}
