using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageSocial.SampleHost.Auth;

/// <summary>Issues and validates HS256 JSON Web Tokens whose subject is the user id.</summary>
internal sealed class TokenService
{
    private readonly JsonWebTokenHandler handler = new();
    private readonly SigningCredentials credentials;
    private readonly TokenValidationParameters validation;

    /// <summary>The rules a token must pass (issuer and audience, HS256 with this host's key, expiry with 30 s of skew), for the
    /// JwtBearer handler.</summary>
    public TokenValidationParameters Validation => validation;
    private readonly AuthOptions options;
    private readonly TimeProvider time;

    /// <summary>The claim that carries the administrator role.</summary>
    public const string RoleClaim = "role";

    public TokenService(IOptions<AuthOptions> options, DataFolder data, TimeProvider time)
    {
        this.options = options.Value;
        this.time = time;
        var key = new SymmetricSecurityKey(LoadKey(this.options.SigningKey, Path.Combine(data.Path, "auth-signing-key")));
        credentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        validation = new TokenValidationParameters
        {
            ValidIssuer = this.options.Issuer,
            ValidAudience = this.options.Issuer,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = JwtRegisteredClaimNames.Sub,
            RoleClaimType = RoleClaim,
        };
    }

    public (string Token, int ExpiresInSeconds) Issue(User user)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // No role in the token: each request takes the account's stored role (see AuthServiceCollectionExtensions), so that a revoked
        // role or a deleted account stops working at once rather than when the token expires.
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, user.Id.ToString()) };

        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Issuer,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.TokenLifetime,
            SigningCredentials = credentials,
        });
        return (token, (int)options.TokenLifetime.TotalSeconds);
    }

    public static bool IsStrongKey(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var length) && length >= 32;
    }

    private static byte[] LoadKey(string? configured, string path)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return Convert.FromBase64String(configured); // validated at start-up
        }

        // Development fallback: one key per data folder, readable by this user only; CreateNew makes concurrent first starts agree.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var key = RandomNumberGenerator.GetBytes(64);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(path, create);
            file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            file.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}
