using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageSocial;

/// <summary>The application-facing service: every read takes the viewer explicitly and returns only what that viewer may see.</summary>
/// <remarks>Thread-safe; register as a singleton (AddImageSocial does). Unknown or invisible resources raise <see cref="NotFoundException"/>,
/// never <see cref="ForbiddenException"/>, so existence is not revealed.</remarks>
public sealed partial class ImageSocialService
{
    private readonly IUserStore users;
    private readonly ISocialGraph graph;
    private readonly IPhotoStore photos;
    private readonly IInteractionStore interactions;
    private readonly IBlobStore blobs;
    private readonly IOutbox outbox;
    private readonly IVectorIndex vectors;
    private readonly IFeedBuilder feed;
    private readonly IImageCodec codec;
    private readonly IEmbeddingEngine embeddings;
    private readonly IShardMap shards;
    private readonly IdGenerator ids;
    private readonly TimeProvider time;
    private readonly ImageSocialOptions options;
    private readonly ILogger logger;

    /// <summary>Creates the service over its stores; normally resolved from DI.</summary>
#pragma warning disable CS1573 // The parameters are the contracts named in the type's fields.
    public ImageSocialService(IUserStore users, ISocialGraph graph, IPhotoStore photos, IInteractionStore interactions, IBlobStore blobs, IOutbox outbox,
        IVectorIndex vectors, IFeedBuilder feed, IImageCodec codec, IEmbeddingEngine embeddings, IShardMap shards, IdGenerator ids,
        TimeProvider time, IOptions<ImageSocialOptions> options, ILogger<ImageSocialService>? logger = null)
#pragma warning restore CS1573
    {
        ArgumentNullException.ThrowIfNull(options);
        (this.users, this.graph, this.photos, this.interactions, this.blobs, this.outbox, this.vectors, this.feed) = (users, graph, photos, interactions, blobs, outbox, vectors, feed);
        (this.codec, this.embeddings, this.shards, this.ids, this.time, this.options, this.logger) = (codec, embeddings, shards, ids, time, options.Value, logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    /// <summary>Raised after a write enqueued follow-up work, so an in-process runner can start at once.</summary>
    internal event Action? WorkEnqueued;

    /// <summary>Creates a user.</summary>
    /// <param name="handle">3–30 characters of a-z, 0-9, '_' and '.'; stored lower case.</param>
    /// <param name="displayName">The shown name, 1–100 characters.</param>
    /// <param name="isPrivate">Whether only approved followers see the account's photos.</param>
    /// <param name="passwordHash">An opaque password hash made by the host (the SDK never sees passwords), stored with the account.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">The handle or name is not valid.</exception>
    /// <exception cref="ConflictException">The handle is taken.</exception>
    public async Task<User> CreateUserAsync(string handle, string displayName, bool isPrivate = false, string? passwordHash = null, CancellationToken cancellationToken = default)
    {
        var user = new User(new UserId(ids.Next(shards.PickShardForNewUser())), InputRules.Handle(handle),
            InputRules.Text(displayName, "displayName", 100, allowEmpty: false), isPrivate);
        try
        {
            await users.CreateAsync(user, passwordHash, cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException ex)
        {
            throw new ConflictException($"The handle '{user.Handle}' is taken.") { ProviderName = ex.ProviderName, OperationName = ex.OperationName };
        }

        return user;
    }

    /// <summary>Gets the password hash stored with an account, for a host that verifies sign-ins.</summary>
    /// <param name="id">The account.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The hash, or <see langword="null"/> when the account is unknown or cannot sign in.</returns>
    public Task<string?> GetPasswordHashAsync(UserId id, CancellationToken cancellationToken = default) => users.GetPasswordHashAsync(id, cancellationToken);

    /// <summary>Replaces an account's password hash (a password change, or a rehash with stronger parameters).</summary>
    /// <param name="id">The account.</param>
    /// <param name="passwordHash">The new opaque hash.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    public Task SetPasswordHashAsync(UserId id, string passwordHash, CancellationToken cancellationToken = default) =>
        users.SetPasswordHashAsync(id, passwordHash, cancellationToken);

    /// <summary>Gets a user's profile.</summary>
    /// <param name="id">The user.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    public async Task<User> GetUserAsync(UserId id, CancellationToken cancellationToken = default) =>
        await users.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"User {id} does not exist.");

    /// <summary>Finds a user by handle.</summary>
    /// <param name="handle">The handle.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    public async Task<User> GetUserByHandleAsync(string handle, CancellationToken cancellationToken = default) =>
        await users.GetByHandleAsync(InputRules.Text(handle, "handle", 30, allowEmpty: false), cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException("No user has that handle.");

    /// <summary>Makes an account private or public; the index payloads of its photos follow in the background.</summary>
    /// <param name="user">The account.</param>
    /// <param name="isPrivate">The new flag.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public async Task<User> SetAccountPrivacyAsync(UserId user, bool isPrivate, CancellationToken cancellationToken = default)
    {
        var current = await GetUserAsync(user, cancellationToken).ConfigureAwait(false);
        var updated = current with { IsPrivate = isPrivate };
        await users.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
        if (current.IsPrivate != isPrivate)
        {
            await EnqueueAsync(OutboxMessage.Create(OutboxKinds.UserPrivacyChanged, user.Value), cancellationToken).ConfigureAwait(false);
        }

        return updated;
    }

    /// <summary>Follows an account; a private account gets a pending request that its owner approves or rejects.</summary>
    /// <param name="follower">Who follows.</param>
    /// <param name="followee">Whom to follow.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns><see cref="FollowState.Following"/> or <see cref="FollowState.Pending"/>.</returns>
    public async Task<FollowState> FollowAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default)
    {
        if (follower == followee)
        {
            throw new ValidationException("A user cannot follow themselves.") { ParameterName = nameof(followee) };
        }

        await GetUserAsync(follower, cancellationToken).ConfigureAwait(false);
        var target = await GetUserAsync(followee, cancellationToken).ConfigureAwait(false);
        var state = await graph.FollowAsync(follower, followee, target.IsPrivate, cancellationToken).ConfigureAwait(false);
        if (state == FollowState.Following)
        {
            await feed.OnFollowedAsync(follower, followee, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    /// <summary>Stops following an account, or withdraws a pending request.</summary>
    /// <param name="follower">Who follows.</param>
    /// <param name="followee">Whom to stop following.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public async Task UnfollowAsync(UserId follower, UserId followee, CancellationToken cancellationToken = default)
    {
        if (await graph.UnfollowAsync(follower, followee, cancellationToken).ConfigureAwait(false))
        {
            await feed.OnUnfollowedAsync(follower, followee, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Approves a pending follow request.</summary>
    /// <param name="owner">The private account.</param>
    /// <param name="requester">Who asked.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such pending request.</exception>
    public async Task ApproveFollowRequestAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default)
    {
        if (!await graph.ApproveAsync(owner, requester, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException("There is no such follow request.");
        }

        await feed.OnFollowedAsync(requester, owner, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rejects a pending follow request.</summary>
    /// <param name="owner">The private account.</param>
    /// <param name="requester">Who asked.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such pending request.</exception>
    public async Task RejectFollowRequestAsync(UserId owner, UserId requester, CancellationToken cancellationToken = default)
    {
        if (!await graph.RejectAsync(owner, requester, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException("There is no such follow request.");
        }
    }

    /// <summary>The pending requests to follow the owner's account.</summary>
    /// <param name="owner">The account.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public async Task<Page<User>> GetFollowRequestsAsync(UserId owner, PageRequest page, CancellationToken cancellationToken = default) =>
        await HydrateUsersAsync(await graph.GetPendingRequestsAsync(owner, page, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>A user's approved followers; for a private account only the owner and approved followers may list them.</summary>
    /// <param name="user">The account.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public async Task<Page<User>> GetFollowersAsync(UserId user, UserId viewer, PageRequest page, CancellationToken cancellationToken = default)
    {
        await EnsureCanSeeAccountAsync(user, viewer, cancellationToken).ConfigureAwait(false);
        return await HydrateUsersAsync(await graph.GetFollowersAsync(user, page, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The accounts a user follows; for a private account only the owner and approved followers may list them.</summary>
    /// <param name="user">The account.</param>
    /// <param name="viewer">Who is looking.</param>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public async Task<Page<User>> GetFollowingAsync(UserId user, UserId viewer, PageRequest page, CancellationToken cancellationToken = default)
    {
        await EnsureCanSeeAccountAsync(user, viewer, cancellationToken).ConfigureAwait(false);
        return await HydrateUsersAsync(await graph.GetFollowingAsync(user, page, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureCanSeeAccountAsync(UserId user, UserId viewer, CancellationToken cancellationToken)
    {
        var account = await GetUserAsync(user, cancellationToken).ConfigureAwait(false);
        if (account.IsPrivate && user != viewer && await graph.GetStateAsync(viewer, user, cancellationToken).ConfigureAwait(false) != FollowState.Following)
        {
            throw new NotFoundException($"User {user} has no visible connections.");
        }
    }

    private async Task<Page<User>> HydrateUsersAsync(Page<UserId> page, CancellationToken cancellationToken)
    {
        var found = await users.GetManyAsync(page.Items.ToList(), cancellationToken).ConfigureAwait(false);
        return new Page<User>(page.Items.Where(found.ContainsKey).Select(i => found[i]).ToList(), page.NextCursor);
    }

    private async Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        await outbox.EnqueueAsync([message], cancellationToken).ConfigureAwait(false);
        WorkEnqueued?.Invoke();
    }
}
