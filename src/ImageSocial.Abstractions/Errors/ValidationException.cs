namespace ImageSocial;

/// <summary>The request itself is invalid: a value out of range, a string too long, bad characters. HTTP 400.</summary>
public class ValidationException(string message) : ImageSocialException(message)
{
    /// <summary>The name of the offending parameter or field, when there is one.</summary>
    public string? ParameterName { get; init; }
}
