namespace ImageSocial.SampleHost;

/// <summary>What this host does (configuration <c>Host:Roles</c>, e.g. <c>reads+uploads+jobs</c>, the default): the seed's dedicated read
/// and write servers, so that uploads and background work do not take the machine that answers reads.</summary>
/// <remarks>A host without <c>jobs</c> runs no job runner (its index still follows the store's changes); without <c>uploads</c> it answers
/// uploads with 503 and a problem saying to send them elsewhere; without <c>reads</c> it answers reads (GET) the same way. Health,
/// metrics, sign-in and the OpenAPI document stay on every host.</remarks>
internal sealed class HostRoles
{
    private static readonly string[] Known = ["reads", "uploads", "jobs"];

    private HostRoles(bool reads, bool uploads, bool jobs) => (Reads, Uploads, Jobs) = (reads, uploads, jobs);

    public bool Reads { get; }

    public bool Uploads { get; }

    public bool Jobs { get; }

    public static HostRoles From(IConfiguration configuration)
    {
        var value = configuration["Host:Roles"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new HostRoles(true, true, true);
        }

        var roles = value.Split(['+', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => r.ToLowerInvariant()).ToHashSet();
        if (roles.Except(Known).FirstOrDefault() is { } unknown)
        {
            throw new InvalidOperationException($"Unknown role '{unknown}' in Host:Roles; known roles: {string.Join(", ", Known)}.");
        }

        return new HostRoles(roles.Contains("reads"), roles.Contains("uploads"), roles.Contains("jobs"));
    }

    /// <summary>Whether a request is one this host leaves to others.</summary>
    public bool Declines(HttpRequest request)
    {
        var path = request.Path;
        if (path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/api/auth"))
        {
            return false;
        }

        var upload = HttpMethods.IsPost(request.Method) && path.Equals("/api/photos", StringComparison.Ordinal);
        return upload ? !Uploads : HttpMethods.IsGet(request.Method) && !Reads;
    }
}
