namespace ImageSocial.SampleHost;

/// <summary>The host's data folder: the embedded providers' data and the generated token signing key live here.</summary>
/// <param name="Path">The absolute path.</param>
internal sealed record DataFolder(string Path)
{
    /// <summary>From <c>IMAGESOCIAL_DATA</c>, else <c>ImageSocial:DataDirectory</c>, else <c>./data</c>, relative to where the host started.</summary>
    public static DataFolder From(IConfiguration configuration) =>
        new(System.IO.Path.GetFullPath(configuration["IMAGESOCIAL_DATA"] is { Length: > 0 } data ? data : configuration["ImageSocial:DataDirectory"] is { Length: > 0 } configured ? configured : "data"));
}
