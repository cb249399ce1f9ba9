namespace ImageSocial;

/// <summary>A text that should be an id is not one. HTTP 400.</summary>
public sealed class InvalidIdException(string idType, string text)
    : ValidationException($"'{Sanitize(text)}' is not a valid {idType}.")
{
    /// <summary>The id type that was expected.</summary>
    public string IdType { get; } = idType;

    private static string Sanitize(string text) => new(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
}
