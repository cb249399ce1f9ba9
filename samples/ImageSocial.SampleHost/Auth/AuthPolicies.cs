namespace ImageSocial.SampleHost.Auth;

/// <summary>The host's authorization policies beyond "signed in".</summary>
internal static class AuthPolicies
{
    /// <summary>The administration routes: callers whose token carries <see cref="AdminRole"/>.</summary>
    public const string Admin = "admin";

    /// <summary>The role claim of an admin (granted through <c>PUT /api/admin/users/{id}/role</c>, the administration tool, or at sign-in
    /// for the accounts listed in <c>Auth:Admins</c>).</summary>
    public const string AdminRole = "admin";

    /// <summary>The role claim of a moderator (an admin has it too).</summary>
    public const string ModeratorRole = "moderator";

    /// <summary>The role claims of a stored role.</summary>
    public static IEnumerable<string> RolesOf(UserRole role) => role switch
    {
        UserRole.Admin => [AdminRole, ModeratorRole],
        UserRole.Moderator => [ModeratorRole],
        _ => [],
    };
}
