using ImageSocial.Shared.Vectors;
using Microsoft.Extensions.Options;

namespace ImageSocial.Vectors.Milvus;

/// <summary>Checks <see cref="MilvusVectorIndexOptions"/> at start-up: the ranges, then the endpoint and the timeout.</summary>
internal sealed partial class MilvusVectorIndexOptionsValidator : IValidateOptions<MilvusVectorIndexOptions>
{
    public ValidateOptionsResult Validate(string? name, MilvusVectorIndexOptions options)
    {
        var failures = new List<string>();
        var ranges = new RangeValidator().Validate(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        ServerSettings.Check(failures, nameof(MilvusVectorIndexOptions), "ImageSocial:Milvus", options.Endpoint, "http://localhost:19530", options.Timeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<MilvusVectorIndexOptions>
    {
    }
}
