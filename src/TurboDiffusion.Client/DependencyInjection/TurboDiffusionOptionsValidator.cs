using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Client.DependencyInjection;

/// <summary>
/// Checks <see cref="TurboDiffusionOptions"/> at start-up beyond its attributes: the base URL's form, positive
/// durations, and the orderings the polling policy relies on. Messages name the configuration key.
/// </summary>
public sealed class TurboDiffusionOptionsValidator : IValidateOptions<TurboDiffusionOptions>
{
    private const string Section = TurboDiffusionOptions.SectionName;

    // Polly's timeout strategy accepts 10 ms to 1 day; failing here says which key is wrong, at start-up.
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TurboDiffusionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        // A missing BaseUrl is reported by its [Required] attribute; here only its form.
        if (options.BaseUrl is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{Section}:BaseUrl must be an absolute http:// or https:// URL (e.g. http://127.0.0.1:8000); got '{url.OriginalString}'.");
            }
        }

        if (!Enum.IsDefined(options.Profile))
        {
            errors.Add($"{Section}:Profile must be Auto, Legacy or VideoGen; got {(int)options.Profile}.");
        }

        Timeout(errors, "RequestTimeout", options.RequestTimeout);
        Timeout(errors, "RequestTotalTimeout", options.RequestTotalTimeout);
        Timeout(errors, "SubmitTimeout", options.SubmitTimeout);
        if (options.RequestTotalTimeout < options.RequestTimeout)
        {
            errors.Add($"{Section}:RequestTotalTimeout ({options.RequestTotalTimeout}) must be at least RequestTimeout ({options.RequestTimeout}).");
        }

        if (options.GetRetryDelay < TimeSpan.Zero || options.GetRetryDelay > MaxTimeout)
        {
            errors.Add($"{Section}:GetRetryDelay must be between 0 and 1 day; got {options.GetRetryDelay}.");
        }

        Annotations(errors, Section, options);
        ValidatePolling(errors, options.Polling);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidatePolling(List<string> errors, PollingOptions? polling)
    {
        const string prefix = Section + ":Polling";
        if (polling is null)
        {
            errors.Add($"{prefix} is required.");
            return;
        }

        Annotations(errors, prefix, polling);
        Positive(errors, prefix, "RunningInterval", polling.RunningInterval);
        Positive(errors, prefix, "QueuedInterval", polling.QueuedInterval);
        Positive(errors, prefix, "IdleInterval", polling.IdleInterval);
        Positive(errors, prefix, "IdleAfter", polling.IdleAfter);
        Positive(errors, prefix, "BackoffInitial", polling.BackoffInitial);
        Positive(errors, prefix, "BackoffMax", polling.BackoffMax);
        Positive(errors, prefix, "RetryAfterMax", polling.RetryAfterMax);
        Positive(errors, prefix, "Deadline", polling.Deadline);
        Positive(errors, prefix, "LostAfter", polling.LostAfter);
        Positive(errors, prefix, "RunningIdleAfter", polling.RunningIdleAfter);
        Positive(errors, prefix, "SparseInterval", polling.SparseInterval);
        Positive(errors, prefix, "DenseInterval", polling.DenseInterval);
        Positive(errors, prefix, "QueuedBehindInterval", polling.QueuedBehindInterval);

        if (polling.RunningInterval > polling.QueuedInterval || polling.QueuedInterval > polling.IdleInterval)
        {
            errors.Add($"{prefix}: RunningInterval ({polling.RunningInterval}) ≤ QueuedInterval ({polling.QueuedInterval}) ≤ IdleInterval ({polling.IdleInterval}) must hold.");
        }

        if (polling.BackoffInitial > polling.BackoffMax)
        {
            errors.Add($"{prefix}:BackoffInitial ({polling.BackoffInitial}) must not exceed BackoffMax ({polling.BackoffMax}).");
        }
    }

    private static void Timeout(List<string> errors, string key, TimeSpan value)
    {
        if (value < MinTimeout || value > MaxTimeout)
        {
            errors.Add($"{Section}:{key} must be between 10 ms and 1 day; got {value}.");
        }
    }

    private static void Positive(List<string> errors, string prefix, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:{key} must be greater than zero; got {value}.");
        }
    }

    private static void Annotations(List<string> errors, string prefix, object instance)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true)) return;
        foreach (var result in results)
        {
            var message = result.ErrorMessage ?? "is invalid";
            // [Required] on BaseUrl carries its full message already; the others get the key in front.
            errors.Add(message.StartsWith(Section, StringComparison.Ordinal)
                ? message
                : $"{prefix}:{string.Join(",", result.MemberNames)}: {message}");
        }
    }
}
