namespace ImageSocial;

/// <summary>Who may see a photo.</summary>
public enum Visibility
{
    /// <summary>Anyone; for a private account, its approved followers.</summary>
    Public = 0,

    /// <summary>The owner's approved followers.</summary>
    Followers = 1,

    /// <summary>The owner only.</summary>
    Private = 2,
}
