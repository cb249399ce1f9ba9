using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ImageSocial.SampleHost.Auth;

/// <summary>Password hashing with ASP.NET Core Identity's PBKDF2 format (HMAC-SHA512, salted, versioned).</summary>
internal sealed class Passwords
{
    public const int MinLength = 8;
    public const int MaxLength = 256;

    private static readonly User Nobody = new(new UserId(1), "nobody", "nobody", false);
    private readonly PasswordHasher<User> hasher;
    private readonly Lazy<string> decoy;

    public Passwords(IOptions<AuthOptions> options)
    {
        hasher = new(Options.Create(new PasswordHasherOptions { IterationCount = options.Value.PasswordHashIterations }));
        decoy = new(() => hasher.HashPassword(Nobody, Guid.NewGuid().ToString()));
    }

    /// <exception cref="ValidationException">The password is too short or too long (the cap bounds the hashing work one request can cause).</exception>
    public string Hash(string? password)
    {
        if (password is null || password.Length < MinLength || password.Length > MaxLength)
        {
            throw new ValidationException($"The password must have {MinLength} to {MaxLength} characters.") { ParameterName = "password" };
        }

        return hasher.HashPassword(Nobody, password);
    }

    /// <summary>Checks a password; with no stored hash it still does the same work, so timing does not tell which usernames exist.</summary>
    public (bool Valid, bool NeedsRehash) Verify(string? storedHash, string? password)
    {
        if (password is null || password.Length > MaxLength)
        {
            return (false, false);
        }

        var result = hasher.VerifyHashedPassword(Nobody, storedHash ?? decoy.Value, password);
        return storedHash is null
            ? (false, false)
            : (result != PasswordVerificationResult.Failed, result == PasswordVerificationResult.SuccessRehashNeeded);
    }
}
