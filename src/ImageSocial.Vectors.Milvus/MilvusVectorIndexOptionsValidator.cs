using Microsoft.Extensions.Options;

namespace ImageSocial.Vectors.Milvus;

/// <summary>Checks <see cref="MilvusVectorIndexOptions"/> at start-up: the ranges, the endpoint and the timeout.</summary>
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

        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            failures.Add($"MilvusVectorIndexOptions.Endpoint (ImageSocial:Milvus:Endpoint) '{options.Endpoint}' is not an http(s) URL such as http://localhost:19530.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromHours(1))
        {
            failures.Add("MilvusVectorIndexOptions.Timeout (ImageSocial:Milvus:Timeout) is 1 second to 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<MilvusVectorIndexOptions>
    {
    }
}
