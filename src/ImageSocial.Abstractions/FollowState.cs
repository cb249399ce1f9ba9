namespace ImageSocial;

/// <summary>The state of a follow edge.</summary>
public enum FollowState
{
    /// <summary>No edge.</summary>
    None,

    /// <summary>A request to a private account, waiting for the owner.</summary>
    Pending,

    /// <summary>An approved follow.</summary>
    Following,
}
