using System.ComponentModel.DataAnnotations;

namespace ImageSocial.SampleHost.Auth;

/// <summary>Sign-in settings (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>The token signing key, base64, at least 32 bytes. When unset, a key is generated once and kept in the data folder
    /// (<c>auth-signing-key</c>), which suits one development machine; set it for every host of a deployment.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long an access token is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The issuer and audience written into and required of every token.</summary>
    [Required]
    public string Issuer { get; set; } = "imagesocial-sample";

    /// <summary>The handles (usernames) of the first admins: each is granted the admin role (stored with the account) at its next
    /// sign-in. Removing a handle revokes nothing; an admin revokes with <c>PUT /api/admin/users/{id}/role</c>.</summary>
    public IList<string> Admins { get; } = [];

    /// <summary>PBKDF2 iterations for new password hashes (ASP.NET Core Identity's format; hashes with fewer are upgraded at sign-in).</summary>
    [Range(100_000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 100_000;
}
