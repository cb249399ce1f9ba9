namespace ImageSocial;

/// <summary>Role changes, shared by the admin's action and the bootstrap path.</summary>
internal static class Roles
{
    internal static async Task SetAsync(SdkParts parts, UserId id, UserRole role, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(role))
        {
            throw new ValidationException("Unknown role.") { ParameterName = nameof(role) };
        }

        if (!await parts.Users.SetRoleAsync(id, role, cancellationToken).ConfigureAwait(false))
        {
            throw new NotFoundException($"User {id} does not exist.");
        }

        await parts.Cache.UserChangedAsync(id).ConfigureAwait(false);
    }
}
