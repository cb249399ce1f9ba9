using Microsoft.Extensions.Options;

namespace ImageSocial;

/// <summary>The embedding space in use: the engine's model id, which names the vector index's folder, and whether every photo has
/// been embedded in it. A new model means a new, empty space that a background job fills; searches only ever see one space.</summary>
internal sealed class EmbeddingSpace(IEmbeddingEngine engine, IOptions<ImageSocialOptions> options)
{
    public string Id { get; } = Sanitize(engine.ModelId);

    private string Marker => Path.Combine(options.Value.DataDirectory, "spaces", Id + ".complete");

    /// <summary>Whether the backfill of this space has finished.</summary>
    public bool IsComplete => File.Exists(Marker);

    public void MarkComplete()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Marker)!);
        File.WriteAllText(Marker, DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A model id as a folder name.</summary>
    public static string Sanitize(string modelId) =>
        string.Concat(modelId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')).TrimStart('.');
}
