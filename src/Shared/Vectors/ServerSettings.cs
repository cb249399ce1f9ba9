namespace ImageSocial.Shared.Vectors;

/// <summary>The start-up checks every remote vector provider makes on its server settings, worded with the configuration keys.</summary>
/// <remarks>Shared source, compiled into each remote vector provider.</remarks>
internal static class ServerSettings
{
    /// <summary>Adds a failure for an endpoint that is not an absolute http(s) URL, and for a timeout outside 1 second to 1 hour.</summary>
    /// <param name="failures">Where failures go.</param>
    /// <param name="options">The options type's name, e.g. <c>QdrantVectorIndexOptions</c>.</param>
    /// <param name="section">The configuration section, e.g. <c>ImageSocial:Qdrant</c>.</param>
    /// <param name="endpoint">The configured endpoint.</param>
    /// <param name="example">An endpoint to show, e.g. <c>http://localhost:6334</c>.</param>
    /// <param name="timeout">The configured timeout.</param>
    internal static void Check(List<string> failures, string options, string section, string endpoint, string example, TimeSpan timeout)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            failures.Add($"{options}.Endpoint ({section}:Endpoint) '{endpoint}' is not an http(s) URL such as {example}.");
        }

        if (timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{options}.Timeout ({section}:Timeout) is 1 second to 1 hour.");
        }
    }
}
