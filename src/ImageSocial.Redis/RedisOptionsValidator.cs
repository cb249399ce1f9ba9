using Microsoft.Extensions.Options;

namespace ImageSocial.Redis;

/// <summary>Checks <see cref="RedisOptions"/> at start-up: the ranges, then that the configuration string parses.</summary>
internal sealed partial class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var failures = new List<string>();
        var ranges = new RangeValidator().Validate(name, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        Within(failures, nameof(options.JobClaimIdle), options.JobClaimIdle, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Within(failures, nameof(options.TimelinePushMemory), options.TimelinePushMemory, TimeSpan.FromHours(1), TimeSpan.FromDays(365));
        Within(failures, nameof(options.ActiveMarkRetention), options.ActiveMarkRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
        if (!string.IsNullOrWhiteSpace(options.Configuration))
        {
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(options.Configuration);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"RedisOptions.Configuration (ImageSocial:Redis:Configuration) is not a StackExchange.Redis configuration string: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Within(List<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"RedisOptions.{setting} (ImageSocial:Redis:{setting}) is {value}; it must be between {min} and {max}.");
        }
    }

    [OptionsValidator]
    private sealed partial class RangeValidator : IValidateOptions<RedisOptions>
    {
    }
}
