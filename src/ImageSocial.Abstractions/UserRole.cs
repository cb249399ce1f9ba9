namespace ImageSocial;

/// <summary>What an account may do beyond its own content.</summary>
public enum UserRole
{
    /// <summary>An ordinary account (the default).</summary>
    Member,

    /// <summary>Works the report queue and hides or unhides posts and comments.</summary>
    Moderator,

    /// <summary>Grants and revokes roles, suspends and reinstates accounts, reads the audit log.</summary>
    Admin,
}
