namespace ImageSocial.SampleHost.Auth;

/// <summary>The host's authorization policies beyond "signed in".</summary>
internal static class AuthPolicies
{
    /// <summary>The administration routes: callers whose token carries <see cref="AdminRole"/>.</summary>
    public const string Admin = "admin";

    /// <summary>The role written into the tokens of the accounts listed in <c>Auth:Admins</c>.</summary>
    public const string AdminRole = "admin";
}
