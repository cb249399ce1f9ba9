using Microsoft.Extensions.Logging;

namespace ImageSocial;

/// <summary>The application-facing entry point. Everything a user does or sees goes through <see cref="For"/>, which takes the acting
/// user once, so that every read is checked against that user and two user arguments can never be swapped. What remains here is
/// what a trusted host does outside any user's view: sign-up, sign-in support, retention and the outbox's dead letters.</summary>
/// <remarks>Thread-safe; registered as a singleton by <c>AddImageSocial</c>. Unknown resources and resources the acting user may not see
/// both raise <see cref="NotFoundException"/>, so existence is not revealed.</remarks>
public sealed class ImageSocialService : IAsyncDisposable, IDisposable
{
    internal ImageSocialService(SdkParts parts, Func<ImageSocialService, JobRunner> runner, IndexCatchUp index)
    {
        Parts = parts;
        Jobs = runner(this);
        Index = index;
    }

    internal SdkParts Parts { get; }

    /// <summary>The runner of this service's background work (also registered as a hosted service and on its own).</summary>
    public JobRunner Jobs { get; }

    /// <summary>This host's vector index following the store's changes (also registered as a hosted service and on its own); and its
    /// rebuild from the stored embeddings.</summary>
    public IndexCatchUp Index { get; }

    /// <summary>Stops the background work.</summary>
    public async ValueTask DisposeAsync()
    {
        await Index.DisposeAsync().ConfigureAwait(false);
        await Jobs.DisposeAsync().ConfigureAwait(false);
        await Parts.DisposeWatchersAsync().ConfigureAwait(false);
        Parts.Images.Dispose();
    }

    /// <summary>Stops the background work.</summary>
    public void Dispose()
    {
        Index.Dispose();
        Jobs.Dispose();
        Parts.DisposeWatchersAsync().AsTask().GetAwaiter().GetResult();
        Parts.Images.Dispose();
    }

    /// <summary>The SDK acting as <paramref name="user"/>: everything that user may do, and reads of only what that user may see.</summary>
    /// <param name="user">The signed-in user (the host authenticated them). No I/O happens until a method of the result is called.</param>
    public ActingUser For(UserId user) => new(Parts, user);

    /// <summary>Creates a user.</summary>
    /// <param name="handle">3–30 characters of a-z, 0-9, '_' and '.'; stored lower case.</param>
    /// <param name="displayName">The shown name, 1–100 characters.</param>
    /// <param name="isPrivate">Whether only approved followers see the account's photos.</param>
    /// <param name="passwordHash">An opaque password hash made by the host (the SDK never sees passwords), stored with the account.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="ValidationException">The handle or name is not valid.</exception>
    /// <exception cref="ConflictException">The handle is taken.</exception>
    public Task<User> CreateUserAsync(string handle, string displayName, bool isPrivate = false, string? passwordHash = null, CancellationToken cancellationToken = default) =>
        Operations.RunAsync("CreateUser", null, async () =>
        {
            var user = new User(new UserId(Parts.Ids.Next(Parts.Shards.PickShardForNewUser())), InputRules.Handle(handle),
                InputRules.Text(displayName, "displayName", 100, allowEmpty: false), isPrivate);
            try
            {
                await Parts.Users.CreateAsync(user, passwordHash, cancellationToken).ConfigureAwait(false);
            }
            catch (ConflictException ex)
            {
                throw new ConflictException($"The handle '{user.Handle}' is taken.") { ProviderName = ex.ProviderName, OperationName = ex.OperationName };
            }

            return user;
        });

    /// <summary>Finds the account a sign-in names. Applies no viewer's rule: it is for a host verifying credentials, not for showing
    /// profiles (use <see cref="ActingUser.GetUserByHandleAsync"/> for that).</summary>
    /// <param name="handle">The handle, in any case.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The account, or <see langword="null"/> when no account has that handle or the text cannot be a handle.</returns>
    public async Task<User?> FindAccountAsync(string handle, CancellationToken cancellationToken = default)
    {
        var clean = (handle ?? string.Empty).Trim().ToLowerInvariant();
        return InputRules.IsHandle(clean) ? await Parts.Users.GetByHandleAsync(clean, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Gets the password hash stored with an account, for a host that verifies sign-ins.</summary>
    /// <param name="id">The account.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The hash, or <see langword="null"/> when the account is unknown or cannot sign in.</returns>
    public Task<string?> GetPasswordHashAsync(UserId id, CancellationToken cancellationToken = default) => Parts.Users.GetPasswordHashAsync(id, cancellationToken);

    /// <summary>Replaces an account's password hash (a password change, or a rehash with stronger parameters).</summary>
    /// <param name="id">The account.</param>
    /// <param name="passwordHash">The new opaque hash.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    public Task SetPasswordHashAsync(UserId id, string passwordHash, CancellationToken cancellationToken = default) =>
        Parts.Users.SetPasswordHashAsync(id, passwordHash, cancellationToken);

    /// <summary>Sets an account's role without an acting user's check: for bootstrapping the first admin (a host's configuration, the
    /// administration tool). Users change roles through <see cref="ActingUser.SetRoleAsync"/>, which only an admin may call.</summary>
    /// <param name="id">The account.</param>
    /// <param name="role">The new role.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no such user.</exception>
    /// <exception cref="ValidationException">The role is not one of <see cref="UserRole"/>.</exception>
    public Task GrantRoleAsync(UserId id, UserRole role, CancellationToken cancellationToken = default) =>
        Operations.RunAsync("GrantRole", null, async () =>
        {
            await Roles.SetAsync(Parts, id, role, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Purges photos deleted longer ago than the retention window (their blobs and vectors go in the background) and prunes
    /// the photo change feed to <see cref="ImageSocialOptions.ChangeFeedRetention"/>. The job runner calls this every
    /// <see cref="JobRunnerOptions.PurgeInterval"/>.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many photos were purged.</returns>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) =>
        Operations.RunAsync("PurgeExpired", null, async () =>
        {
            var total = 0;
            while (true)
            {
                var purged = await Parts.Photos.PurgeDeletedAsync(Parts.Time.GetUtcNow() - Parts.Options.DeletedRetention, 200, cancellationToken).ConfigureAwait(false);
                await Parts.Cache.PhotosChangedAsync(purged.Select(p => p.Id)).ConfigureAwait(false);
                total += purged.Count;
                if (purged.Count < 200)
                {
                    break;
                }
            }

            if (total > 0)
            {
                Parts.Logger.LogInformation("Purged {Count} photos past their retention window.", total);
                Parts.NotifyWorkEnqueued();
            }

            var pruned = await Parts.Changes.PruneChangesAsync(Parts.Time.GetUtcNow() - Parts.Options.ChangeFeedRetention, cancellationToken).ConfigureAwait(false);
            if (pruned > 0)
            {
                Parts.Logger.LogInformation("Pruned {Count} photo changes older than {Retention}.", pruned, Parts.Options.ChangeFeedRetention);
            }

            return total;
        });

    /// <summary>How much follow-up work waits in the outbox.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<OutboxStats> GetOutboxStatsAsync(CancellationToken cancellationToken = default) => Parts.Outbox.GetStatsAsync(Parts.Time.GetUtcNow(), cancellationToken);

    /// <summary>The outbox messages set aside after <see cref="JobRunnerOptions.MaxAttempts"/> failures, with their last error.</summary>
    /// <param name="page">The page.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task<Page<DeadLetter>> ListDeadLettersAsync(PageRequest page, CancellationToken cancellationToken = default) =>
        Parts.Outbox.ListDeadLettersAsync(page, cancellationToken);

    /// <summary>Puts a dead letter back in the queue, due now, with its attempts counted from zero.</summary>
    /// <param name="id">The message id.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <exception cref="NotFoundException">There is no dead letter with that id.</exception>
    public async Task RetryDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        if (!await Parts.Outbox.RequeueDeadLetterAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"There is no dead letter {id}.");
        }

        Parts.NotifyWorkEnqueued();
    }

    /// <summary>Puts every dead letter back in the queue.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many were put back.</returns>
    public async Task<int> RetryAllDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        var requeued = 0;
        while (true)
        {
            // Each requeued letter leaves the listing, so the first page is always the next batch.
            var page = await Parts.Outbox.ListDeadLettersAsync(new PageRequest(null, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false);
            foreach (var letter in page.Items)
            {
                requeued += await Parts.Outbox.RequeueDeadLetterAsync(letter.Message.Id, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }

            if (page.Items.Count == 0 || page.NextCursor is null)
            {
                break;
            }
        }

        if (requeued > 0)
        {
            Parts.NotifyWorkEnqueued();
        }

        return requeued;
    }
}
