using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>Checks <see cref="EmulatorOptions"/> at start-up; every message names the configuration key.</summary>
internal sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    private const string Prefix = EmulatorOptions.SectionName + ":";

    /// <summary>S3 refuses presigned URLs valid for more than seven days.</summary>
    private static readonly TimeSpan MaxUrlLifetime = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        var errors = Check(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static IEnumerable<string> Check(EmulatorOptions options)
    {
        if (options.DataDirectory is { } dir && (dir.Trim().Length == 0 || dir.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            yield return $"{Prefix}DataDirectory is not a usable folder path ('{dir}'). Leave it unset for a temporary folder.";
        }

        foreach (var error in CheckListenUrl(options.ApiUrl, nameof(options.ApiUrl)))
        {
            yield return error;
        }

        foreach (var error in CheckListenUrl(options.StorageUrl, nameof(options.StorageUrl)))
        {
            yield return error;
        }

        if (options.StoragePublicUrl is { } publicUrl && !IsHttpUrl(publicUrl))
        {
            yield return $"{Prefix}StoragePublicUrl must be an absolute http(s) URL (was '{publicUrl}').";
        }

        if (options.WorkerCount is < 1 or > 64)
        {
            yield return $"{Prefix}WorkerCount must be between 1 and 64 (was {options.WorkerCount}).";
        }

        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            yield return $"{Prefix}QueueCapacity must be between 1 and 1000000 (was {options.QueueCapacity}).";
        }

        foreach (var (value, key) in new[]
                 {
                     (options.QueueDelay, nameof(options.QueueDelay)),
                     (options.StageDelay, nameof(options.StageDelay)),
                     (options.StepDuration, nameof(options.StepDuration)),
                     (options.WarmUpDelay, nameof(options.WarmUpDelay)),
                 })
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromHours(1))
            {
                yield return $"{Prefix}{key} must be between 00:00:00 and 01:00:00 (was {value}).";
            }
        }

        foreach (var error in CheckUrlLifetime(options.UrlLifetime, Prefix + nameof(options.UrlLifetime)))
        {
            yield return error;
        }

        foreach (var error in CheckResultExpiry(options.ResultExpiry, Prefix + nameof(options.ResultExpiry)))
        {
            yield return error;
        }

        if (options.FFmpegPath is { } ffmpeg && ffmpeg.Trim().Length == 0)
        {
            yield return $"{Prefix}FFmpegPath must not be blank; leave it unset to find ffmpeg on PATH.";
        }

        if (options.Fps is < 1 or > 60)
        {
            yield return $"{Prefix}Fps must be between 1 and 60 (was {options.Fps}).";
        }

        if (options.DefaultFrameCount is < 1 or > 1000)
        {
            yield return $"{Prefix}DefaultFrameCount must be between 1 and 1000 (was {options.DefaultFrameCount}).";
        }

        if (options.MaxUploadBytes < 1)
        {
            yield return $"{Prefix}MaxUploadBytes must be positive (was {options.MaxUploadBytes}).";
        }

        if (options.SigningSecret is { Length: < 16 } secret)
        {
            yield return $"{Prefix}SigningSecret must be at least 16 characters (was {secret.Length}); leave it unset for a random one.";
        }

        if (string.IsNullOrWhiteSpace(options.AccessKey) || options.AccessKey.Contains('/', StringComparison.Ordinal))
        {
            yield return $"{Prefix}AccessKey must be a non-empty name without '/' (was '{options.AccessKey}').";
        }

        if (!Enum.IsDefined(options.ApiProfile))
        {
            yield return $"{Prefix}ApiProfile must be Legacy, VideoGen or Both (was {(int)options.ApiProfile}).";
        }

        if (!double.IsFinite(options.MaxVideoSeconds) || options.MaxVideoSeconds <= 0)
        {
            yield return $"{Prefix}MaxVideoSeconds must be a positive number of seconds (was {options.MaxVideoSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}).";
        }

        if (options.Capabilities is null)
        {
            yield return $"{Prefix}Capabilities must not be null.";
        }

        if (options.Faults is null)
        {
            yield return $"{Prefix}Faults must not be null.";
        }
        else
        {
            foreach (var error in CheckFaults(options.Faults, Prefix + "Faults:"))
            {
                yield return error;
            }
        }
    }

    /// <summary>Also used for faults changed at run time, so a bad PUT is refused with the same words.</summary>
    internal static IEnumerable<string> CheckFaults(EmulatorFaults faults, string prefix)
    {
        if (faults.FailNextJobs is null)
        {
            yield return $"{prefix}FailNextJobs must not be null.";
        }
        else
        {
            if (faults.FailNextJobs.Count < 0)
            {
                yield return $"{prefix}FailNextJobs:Count must not be negative (was {faults.FailNextJobs.Count}).";
            }

            if (string.IsNullOrWhiteSpace(faults.FailNextJobs.Message))
            {
                yield return $"{prefix}FailNextJobs:Message must not be empty.";
            }
        }

        if (!Enum.IsDefined(faults.UnhandledError))
        {
            yield return $"{prefix}UnhandledError must be None, Post, Get or All.";
        }

        if (!Enum.IsDefined(faults.ProxyHtml502))
        {
            yield return $"{prefix}ProxyHtml502 must be None, Post, Get or All.";
        }

        if (faults.ExtraLatency < TimeSpan.Zero || faults.ExtraLatency > TimeSpan.FromMinutes(5))
        {
            yield return $"{prefix}ExtraLatency must be between 00:00:00 and 00:05:00 (was {faults.ExtraLatency}).";
        }

        if (faults.GetError is null)
        {
            yield return $"{prefix}GetError must not be null.";
        }
        else
        {
            if (faults.GetError.StatusCode is not (0 or 429 or 503))
            {
                yield return $"{prefix}GetError:StatusCode must be 0 (off), 429 or 503 (was {faults.GetError.StatusCode}).";
            }

            if (faults.GetError.RetryAfterSeconds is < 0 or > 86_400)
            {
                yield return $"{prefix}GetError:RetryAfterSeconds must be between 0 and 86400 (was {faults.GetError.RetryAfterSeconds}).";
            }

            if (faults.GetError.Count is < 0)
            {
                yield return $"{prefix}GetError:Count must not be negative; leave it null for 'while on' (was {faults.GetError.Count}).";
            }
        }

        if (faults.UrlLifetime is { } lifetime)
        {
            foreach (var error in CheckUrlLifetime(lifetime, prefix + "UrlLifetime"))
            {
                yield return error;
            }
        }

        foreach (var error in CheckResultExpiry(faults.ResultExpiry, prefix + "ResultExpiry"))
        {
            yield return error;
        }
    }

    private static IEnumerable<string> CheckUrlLifetime(TimeSpan lifetime, string key)
    {
        if (lifetime < TimeSpan.FromSeconds(1) || lifetime > MaxUrlLifetime || lifetime.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            yield return $"{key} must be whole seconds between 00:00:01 and 7.00:00:00, as S3 allows (was {lifetime}).";
        }
    }

    private static IEnumerable<string> CheckResultExpiry(TimeSpan? expiry, string key)
    {
        if (expiry is { } value && value <= TimeSpan.Zero)
        {
            yield return $"{key} must be positive, or unset for 'never' (was {value}).";
        }
    }

    private static IEnumerable<string> CheckListenUrl(string url, string key)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
        {
            yield return $"{Prefix}{key} must be a plain http URL like http://127.0.0.1:8000 (was '{url}').";
            yield break;
        }

        if (uri.Port == 0 && uri.HostNameType == UriHostNameType.Dns)
        {
            // Kestrel cannot bind a host name to a dynamic port (it would need the same port on several addresses).
            yield return $"{Prefix}{key} uses port 0 with the host name '{uri.Host}'; use http://127.0.0.1:0 for a free port.";
        }
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
