namespace ImageSocial;

/// <summary>A user profile.</summary>
/// <param name="Id">The user's id; its logical shard is where the user's data lives.</param>
/// <param name="Handle">The unique handle (lower case letters, digits, '_' and '.').</param>
/// <param name="DisplayName">The name shown to others.</param>
/// <param name="IsPrivate">Whether the account shows its photos to approved followers only.</param>
public sealed record User(UserId Id, string Handle, string DisplayName, bool IsPrivate)
{
    /// <summary>The account's role (stored with it; <see cref="UserRole.Member"/> unless an admin granted another).</summary>
    public UserRole Role { get; init; }

    /// <summary>Whether an admin suspended the account: it is invisible to everyone, cannot sign in or act, and its data is kept until it
    /// is reinstated.</summary>
    public bool IsSuspended { get; init; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt => Id.CreatedAt;
}
