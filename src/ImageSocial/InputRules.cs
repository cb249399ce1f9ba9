using System.Text;

namespace ImageSocial;

/// <summary>Validation of user-supplied strings: length, valid UTF-16, no control characters, tag and handle alphabets.</summary>
internal static class InputRules
{
    internal static string Text(string? value, string name, int maxLength, bool allowEmpty, bool allowNewLines = false)
    {
        value ??= string.Empty;
        if (value.Length > maxLength)
        {
            throw Invalid(name, $"{name} is longer than {maxLength} characters.");
        }

        if (!IsWellFormed(value))
        {
            throw Invalid(name, $"{name} is not valid text (it holds an unpaired surrogate).");
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && !(allowNewLines && c is '\n' or '\r' or '\t'))
            {
                throw Invalid(name, $"{name} holds a control character.");
            }
        }

        var trimmed = value.Trim().Normalize(NormalizationForm.FormC);
        return trimmed.Length == 0 && !allowEmpty ? throw Invalid(name, $"{name} is required.") : trimmed;
    }

    internal static string Handle(string? value)
    {
        var handle = (value ?? string.Empty).Trim().ToLowerInvariant();
        return IsHandle(handle) ? handle : throw Invalid("handle", "A handle is 3 to 30 characters of a-z, 0-9, '_' and '.'.");
    }

    /// <summary>Whether a lower-case text is a well-formed handle.</summary>
    internal static bool IsHandle(string handle) =>
        handle.Length is >= 3 and <= 30 && handle.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.');

    internal static IReadOnlyList<string> Tags(IEnumerable<string>? tags, int maxTags)
    {
        var result = new List<string>();
        foreach (var raw in tags ?? [])
        {
            var tag = Tag(raw);
            if (tag.Length > 0 && !result.Contains(tag, StringComparer.Ordinal))
            {
                result.Add(tag);
            }
        }

        return result.Count > maxTags ? throw Invalid("tags", $"A photo has at most {maxTags} tags.") : result;
    }

    /// <summary>A normalized tag: lower case letters, digits, '_' and '-', at most 64 characters, a leading '#' dropped.</summary>
    internal static string Tag(string? raw)
    {
        var tag = Text(raw, "tag", 65, allowEmpty: true).TrimStart('#').ToLowerInvariant();
        if (tag.Length > 64 || !tag.All(c => char.IsLetterOrDigit(c) || c is '_' or '-'))
        {
            throw Invalid("tags", "A tag is at most 64 letters, digits, '_' or '-'.");
        }

        return tag;
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static ValidationException Invalid(string name, string message) => new(message) { ParameterName = name };
}
