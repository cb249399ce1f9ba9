using Microsoft.Extensions.Options;

namespace ImageSocial;

/// <summary>Checks <see cref="ImageSocialOptions"/> (and its job runner and cache settings) at start-up: the ranges of its attributes,
/// source-generated, then the durations (which range attributes cannot check without reflection).</summary>
internal sealed partial class ImageSocialOptionsValidator : IValidateOptions<ImageSocialOptions>
{
    public ValidateOptionsResult Validate(string? name, ImageSocialOptions options)
    {
        var failures = new List<string>();
        var ranges = new RangeValidator().Validate(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        Within(failures, "Jobs:Lease", options.Jobs.Lease, TimeSpan.FromSeconds(2), TimeSpan.FromHours(1));
        Within(failures, "Jobs:PollInterval", options.Jobs.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Within(failures, "IndexSync:PollInterval", options.IndexSync.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Within(failures, "Cache:EntryLifetime", options.Cache.EntryLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Within(failures, "Cache:FeedPageLifetime", options.Cache.FeedPageLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Within(failures, "Cache:SimilarResultsLifetime", options.Cache.SimilarResultsLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Within(failures, "Video:MaxDuration", options.Video.MaxDuration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Within(List<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"ImageSocial:{setting} is {value}; it must be between {min} and {max}.");
        }
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<ImageSocialOptions>
    {
    }
}
