namespace ImageSocial.Shared.Sql;

/// <summary>The errors both SQL providers raise for the same situations, with the same words.</summary>
internal static class StoreErrors
{
    internal static NotFoundException UserNotFound(UserId user) => new($"User {user} does not exist.");

    internal static NotFoundException PhotoNotFound(PhotoId photo) => new($"Photo {photo} does not exist.");

    internal static NotFoundException SpaceNotFound(string space) => new($"Embedding space '{space}' is not registered.");

    internal static ConflictException ValueTaken(string provider, string operation) =>
        new("The value is already taken.") { ProviderName = provider, OperationName = operation };

    internal static NotFoundException MissingReference(string provider, string operation) =>
        new("A referenced user or photo does not exist.") { ProviderName = provider, OperationName = operation };

    internal static ConflictException SpaceDimension(string provider, string space, int stored, int asked) =>
        new($"Embedding space '{space}' has dimension {stored}, not {asked}.") { ProviderName = provider, OperationName = "RegisterSpace" };
}
