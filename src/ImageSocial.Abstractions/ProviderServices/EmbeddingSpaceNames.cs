namespace ImageSocial.ProviderServices;

/// <summary>Turns a model id into a name a vector provider can use for the space's folder or collection.</summary>
public static class EmbeddingSpaceNames
{
    /// <summary>The model id with every character other than ASCII letters, digits, '.', '-' and '_' replaced by '_', and no leading
    /// '.', so it is a safe file or collection name.</summary>
    /// <param name="modelId">The model id (<see cref="IEmbeddingEngine.ModelId"/>).</param>
    public static string FromModelId(string modelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        var name = string.Concat(modelId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')).TrimStart('.');
        return name.Length == 0 ? "_" : name;
    }
}
