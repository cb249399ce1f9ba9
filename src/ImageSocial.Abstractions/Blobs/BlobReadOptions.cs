namespace ImageSocial;

/// <summary>How a read URL's response presents the object.</summary>
/// <param name="ContentType">The MIME type to answer with, or <see langword="null"/> for the stored one.</param>
/// <param name="FileName">The file name a browser saves it under, or <see langword="null"/> for none.</param>
/// <param name="Attachment">Whether the browser should download it rather than show it inline.</param>
public sealed record BlobReadOptions(string? ContentType = null, string? FileName = null, bool Attachment = false)
{
    /// <summary>The <c>Content-Disposition</c> header value: <c>inline</c> or <c>attachment</c>, with the file name when there is one
    /// (reduced to letters, digits, '.', '-' and '_', so it needs no quoting rules).</summary>
    public string ContentDisposition
    {
        get
        {
            var kind = Attachment ? "attachment" : "inline";
            var name = FileName is null ? "" : new string(FileName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_').ToArray());
            return name.Length == 0 ? kind : $"{kind}; filename=\"{name}\"";
        }
    }
}
