namespace ImageSocial;

/// <summary>The filterable facts stored with a vector.</summary>
/// <param name="Owner">The photo's owner.</param>
/// <param name="Visibility">The photo's visibility.</param>
/// <param name="OwnerIsPrivate">Whether the owner's account is private.</param>
/// <param name="CreatedAt">When the photo was created.</param>
/// <param name="Tags">The photo's tags.</param>
public sealed record VectorPayload(UserId Owner, Visibility Visibility, bool OwnerIsPrivate, DateTimeOffset CreatedAt, IReadOnlyList<string> Tags);
