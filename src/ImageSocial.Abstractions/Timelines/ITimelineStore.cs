namespace ImageSocial;

/// <summary>Stored home timelines for push (fan-out on write) feeds: per user, a capped list of the photos pushed to them, newest first,
/// and marks of which users were active recently (so that fan-out can skip the others).</summary>
/// <remarks>A timeline holds ids only: whoever reads one hydrates the photos through the store's visibility rule, so an entry that outlived
/// a deletion, a visibility change or an unfollow is never shown. Removal here is hygiene and keeps pages full. Every call is idempotent;
/// implementations are thread-safe.</remarks>
public interface ITimelineStore
{
    /// <summary>Pushes one photo into several users' timelines, and trims each to its capacity (the oldest entries go).</summary>
    /// <param name="owners">Whose timelines.</param>
    /// <param name="entry">The photo and its author.</param>
    /// <param name="capacity">How many entries a timeline keeps; a read never returns an entry beyond it, whether or not it was trimmed yet.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task AddAsync(IReadOnlyCollection<UserId> owners, TimelineEntry entry, int capacity, CancellationToken cancellationToken = default);

    /// <summary>Pushes several photos into one user's timeline (a follow back-fills the followee's recent photos), then trims it.</summary>
    /// <param name="owner">Whose timeline.</param>
    /// <param name="entries">The photos and their authors.</param>
    /// <param name="capacity">How many entries a timeline keeps.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task AddManyAsync(UserId owner, IReadOnlyCollection<TimelineEntry> entries, int capacity, CancellationToken cancellationToken = default);

    /// <summary>A page of a timeline, newest (highest photo id) first.</summary>
    /// <param name="owner">Whose timeline.</param>
    /// <param name="before">Only entries with a lower photo id, or <see langword="null"/> for the newest.</param>
    /// <param name="limit">The most entries.</param>
    /// <param name="capacity">The timeline's capacity: entries beyond the newest <paramref name="capacity"/> are not returned.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlyList<TimelineEntry>> ReadAsync(UserId owner, PhotoId? before, int limit, int capacity, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry of one author from one timeline (an unfollow, a block).</summary>
    /// <param name="owner">Whose timeline.</param>
    /// <param name="author">Whose entries.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many entries were removed.</returns>
    Task<int> RemoveAuthorAsync(UserId owner, UserId author, CancellationToken cancellationToken = default);

    /// <summary>Removes one photo from every timeline it was pushed to (a deletion, a visibility change).</summary>
    /// <param name="photo">The photo.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>How many timelines held it.</returns>
    Task<int> RemovePhotoAsync(PhotoId photo, CancellationToken cancellationToken = default);

    /// <summary>Removes a user's whole timeline (a user inactive for long, a deleted account); it is rebuilt on the next read.</summary>
    /// <param name="owner">Whose timeline.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether there was one.</returns>
    Task<bool> ClearAsync(UserId owner, CancellationToken cancellationToken = default);

    /// <summary>Notes that a user was active at <paramref name="at"/> (a later time replaces an earlier one).</summary>
    /// <param name="user">The user.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task MarkActiveAsync(UserId user, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="users"/> were active at or after <paramref name="since"/>.</summary>
    /// <param name="users">The users to ask about.</param>
    /// <param name="since">The cut-off.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlySet<UserId>> GetActiveAsync(IReadOnlyCollection<UserId> users, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Records whether an author is pulled at read time instead of fanned out (an author with more followers than the fan-out
    /// threshold); every host's feed reads the set.</summary>
    /// <param name="author">The author.</param>
    /// <param name="pulled">Whether the author is pulled.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task SetPulledAsync(UserId author, bool pulled, CancellationToken cancellationToken = default);

    /// <summary>The authors recorded as pulled (few: the largest accounts).</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    Task<IReadOnlySet<UserId>> GetPulledAsync(CancellationToken cancellationToken = default);
}
