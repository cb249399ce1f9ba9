using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.S3;

/// <summary>Checks <see cref="S3BlobStoreOptions"/> at start-up: the ranges, then the settings that only make sense together.</summary>
internal sealed partial class S3BlobStoreOptionsValidator : IValidateOptions<S3BlobStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, S3BlobStoreOptions options)
    {
        var failures = new List<string>();
        var ranges = new RangeValidator().Validate(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            failures.Add("S3BlobStoreOptions.AccessKey and SecretKey (ImageSocial:S3:AccessKey, SecretKey) are set together, or both left empty for the standard credential chain.");
        }

        if (options.ServiceUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            failures.Add($"S3BlobStoreOptions.ServiceUrl (ImageSocial:S3:ServiceUrl) '{url}' is not an absolute URL.");
        }

        if (options.Prefix.Length > 0 && (!options.Prefix.EndsWith('/') || !ProviderServices.BlobKeys.IsValid(options.Prefix.TrimEnd('/'))))
        {
            failures.Add("S3BlobStoreOptions.Prefix (ImageSocial:S3:Prefix) is empty or segments like a blob key ending with '/', e.g. 'photos/'.");
        }

        if (options.PartSize > options.MultipartThreshold)
        {
            failures.Add("S3BlobStoreOptions.PartSize cannot be larger than MultipartThreshold.");
        }

        if (options.KmsKeyId is { Length: > 0 } && options.ServerSideEncryption != S3ServerSideEncryption.Kms)
        {
            failures.Add("S3BlobStoreOptions.KmsKeyId is set but ServerSideEncryption is not Kms.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<S3BlobStoreOptions>
    {
    }
}
