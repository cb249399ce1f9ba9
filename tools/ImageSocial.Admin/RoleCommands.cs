using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Admin;

/// <summary><c>grant --handle H --role R</c>: stores an account's role in the deployment's metadata store (how a deployment gets its
/// first admin without editing configuration). Hosts whose shared cache holds the account see the change within the cache's entry
/// lifetime; hosts without one at the account's next request.</summary>
internal static class RoleCommands
{
    public static async Task<int> GrantAsync(Arguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var handle = arguments.Required("handle").Trim().ToLowerInvariant();
        var role = arguments.Required("role") switch
        {
            "member" => UserRole.Member,
            "moderator" => UserRole.Moderator,
            "admin" => UserRole.Admin,
            var other => throw new FormatException($"--role is member, moderator or admin, not '{other}'"),
        };
        var services = new ServiceCollection();
        DeadLetterCommands.AddMetadata(arguments, new DeadLetterCommands.Builder(services));
        await using var provider = services.BuildServiceProvider();
        var users = provider.GetRequiredService<IUserStore>();
        var user = await users.GetByHandleAsync(handle, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"No account has the handle '{handle}'.");
        await users.SetRoleAsync(user.Id, role, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"{user.Handle} ({user.Id}) is now {role.ToString().ToLowerInvariant()}").ConfigureAwait(false);
        return 0;
    }
}
