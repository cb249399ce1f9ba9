namespace ImageSocial;

/// <summary>The follow graph, with follow requests for private accounts.</summary>
/// <remarks>Implementations are thread-safe. Every call is idempotent.</remarks>
public interface ISocialGraph
{
    /// <summary>Follows <paramref name="followee"/>, or asks to when <paramref name="requiresApproval"/>.</summary>
    /// <param name="follower">Who follows.</param>
    /// <param name="followee">Who is followed.</param>
    /// <param name="requiresApproval">Whether the followee is a private account, so the edge starts as <see cref="FollowState.Pending"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The state of the edge after the call (an existing approved follow stays approved).</returns>
    Task<FollowState> FollowAsync(UserId follower, UserId followee, bool requiresApproval, CancellationToken cancellationToken = default);

    /// <summary>Removes a follow or a pending request.</summary>
    /// <param name="follower">Who follows.</param>
    /// <param name="followee">Who is followed.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether an edge was removed.</returns>
    Task<bool> UnfollowAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default);

    /// <summary>Approves a pending request to follow <paramref name="owner"/>.</summary>
    /// <param name="owner">The private account.</param>
    /// <param name="requester">Who asked.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether a pending request was approved.</returns>
    Task<bool> ApproveAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default);

    /// <summary>Rejects (removes) a pending request to follow <paramref name="owner"/>.</summary>
    /// <param name="owner">The private account.</param>
    /// <param name="requester">Who asked.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether a pending request was removed.</returns>
    Task<bool> RejectAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default);

    /// <summary>The state of the edge from <paramref name="follower"/> to <paramref name="followee"/>.</summary>
    /// <param name="follower">Who follows.</param>
    /// <param name="followee">Who is followed.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<FollowState> GetStateAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default);

    /// <summary>The approved followers of a user, newest user id first.</summary>
    /// <param name="user">The user.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<UserId>> GetFollowersAsync(UserId user, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Whom a user follows (approved), newest user id first.</summary>
    /// <param name="user">The user.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<UserId>> GetFollowingAsync(UserId user, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>The pending requests to follow a private account, newest user id first.</summary>
    /// <param name="owner">The private account.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<UserId>> GetPendingRequestsAsync(UserId owner, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>The numbers of approved followers and followees.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<(long Followers, long Following)> GetCountsAsync(UserId user, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="candidates"/> <paramref name="user"/> follows with approval, in one round trip per server: how a feed
    /// checks its stored entries' authors and finds the large followees it pulls.</summary>
    /// <param name="user">The follower.</param>
    /// <param name="candidates">The accounts to ask about.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlySet<UserId>> GetFollowedAmongAsync(UserId user, IReadOnlyCollection<UserId> candidates, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="blocker"/> blocks <paramref name="blocked"/>; idempotent. Follow edges are not touched here
    /// (the SDK ends them both ways through <see cref="UnfollowAsync"/>).</summary>
    /// <param name="blocker">Who blocks.</param>
    /// <param name="blocked">Whom.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>True when the block is new.</returns>
    Task<bool> BlockAsync(UserId blocker, UserId blocked, CancellationToken cancellationToken = default);

    /// <summary>Removes a block; idempotent.</summary>
    /// <param name="blocker">Who blocked.</param>
    /// <param name="blocked">Whom.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>True when there was a block.</returns>
    Task<bool> UnblockAsync(UserId blocker, UserId blocked, CancellationToken cancellationToken = default);

    /// <summary>The accounts <paramref name="blocker"/> blocks, newest user id first.</summary>
    /// <param name="blocker">Who blocks.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<Page<UserId>> GetBlockedAsync(UserId blocker, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Every account between which and <paramref name="user"/> there is a block, in either direction (whom the user blocks and
    /// who blocks the user), read from the user's own shard in one round trip: what the SDK keeps out of that user's reads.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlySet<UserId>> GetBlocksEitherWayAsync(UserId user, CancellationToken cancellationToken = default);
}
