namespace ImageSocial;

/// <summary>A change-feed position from before changes the store has since pruned (<see cref="IPhotoChangeFeed.PruneChangesAsync"/>):
/// the reader may have missed some of them, so it reloads what it follows from the store and goes on from the feed's head.</summary>
public sealed class ChangeFeedPositionExpiredException(string message) : ImageSocialException(message);
