using ImageSocial.Shared.Vectors;
using Microsoft.Extensions.Options;

namespace ImageSocial.Vectors.Qdrant;

/// <summary>Checks <see cref="QdrantVectorIndexOptions"/> at start-up: the ranges, then the endpoint and the timeout.</summary>
internal sealed partial class QdrantVectorIndexOptionsValidator : IValidateOptions<QdrantVectorIndexOptions>
{
    public ValidateOptionsResult Validate(string? name, QdrantVectorIndexOptions options)
    {
        var failures = new List<string>();
        var ranges = new RangeValidator().Validate(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        ServerSettings.Check(failures, nameof(QdrantVectorIndexOptions), "ImageSocial:Qdrant", options.Endpoint, "http://localhost:6334", options.Timeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<QdrantVectorIndexOptions>
    {
    }
}
