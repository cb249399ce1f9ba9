namespace ImageSocial.SampleHost;

/// <summary>Chooses the SDK's providers from configuration (<c>ImageSocial:Providers:*</c>).</summary>
/// <remarks>Each key names one provider; the embedded defaults need no registration beyond AddImageSocial. A name this host does
/// not know stops start-up with a message listing the known ones, rather than silently running on the defaults.</remarks>
internal static class Providers
{
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Metadata"] = ["sqlite", "postgres"],
        ["Blobs"] = ["local"],
        ["Vectors"] = ["embedded"],
        ["Embeddings"] = ["descriptor", "onnx"],
    };

    /// <param name="builder">The SDK builder.</param>
    /// <param name="imageSocial">The <c>ImageSocial</c> configuration section.</param>
    public static void Apply(IImageSocialBuilder builder, IConfigurationSection imageSocial)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = imageSocial.GetSection("Providers");
        foreach (var child in section.GetChildren())
        {
            if (!Known.TryGetValue(child.Key, out var names))
            {
                throw new InvalidOperationException($"Unknown provider kind 'ImageSocial:Providers:{child.Key}'; known kinds: {string.Join(", ", Known.Keys)}.");
            }

            if (!names.Contains(child.Value, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Unknown {child.Key} provider '{child.Value}'; this host knows: {string.Join(", ", names)}.");
            }
        }

        if (string.Equals(section["Metadata"], "postgres", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddPostgresMetadata(o => imageSocial.GetSection("Postgres").Bind(o));
        }

        if (string.Equals(section["Embeddings"], "onnx", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddOnnxEmbeddings(o => imageSocial.GetSection("Onnx").Bind(o));
        }
    }
}
