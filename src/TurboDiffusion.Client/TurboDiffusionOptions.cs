using System.ComponentModel.DataAnnotations;

namespace TurboDiffusion.Client;

/// <summary>Settings of the TurboDiffusion client and tracker, bound from the <c>TurboDiffusion</c> configuration section.</summary>
public sealed class TurboDiffusionOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "TurboDiffusion";

    /// <summary>The backend's base URL, e.g. <c>http://127.0.0.1:8000</c>. Env: <c>TurboDiffusion__BaseUrl</c>.</summary>
    [Required(ErrorMessage = "TurboDiffusion:BaseUrl is required (e.g. http://127.0.0.1:8000).")]
    public Uri? BaseUrl { get; set; }

    /// <summary>Timeout of one attempt of a GET (status, models, health, paths). Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Total time a GET may take including retries. Default 30 s.</summary>
    public TimeSpan RequestTotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a GET is retried on a transient failure inside one call. Default 2.</summary>
    [Range(0, 10)]
    public int GetRetries { get; set; } = 2;

    /// <summary>
    /// First delay of the GET retry back-off (doubling, with jitter). Default 1 s. A <c>Retry-After</c> from the
    /// server replaces it. Zero retries at once (tests).
    /// </summary>
    public TimeSpan GetRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of the job POST, sized for a 20 MB upload on a slow uplink. Never retried. Default 5 min.</summary>
    public TimeSpan SubmitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The polling policy.</summary>
    public PollingOptions Polling { get; set; } = new();
}

/// <summary>How the tracker polls (see ARCHITECTURE.md, "Polling policy").</summary>
public sealed class PollingOptions
{
    /// <summary>Interval while the job runs. Default 2 s.</summary>
    public TimeSpan RunningInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Interval while the job is queued. Default 5 s.</summary>
    public TimeSpan QueuedInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval after <see cref="IdleAfter"/> without any change. Default 10 s.</summary>
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long without a change before stepping down to <see cref="IdleInterval"/>. Default 2 min.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Random spread of each interval, as a fraction (0.1 = ±10 %).</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.1;

    /// <summary>First back-off after a transient failure. Default 2 s, doubling.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest back-off. Default 60 s.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest <c>Retry-After</c> honoured; longer values are clamped to this. Default 5 min.</summary>
    public TimeSpan RetryAfterMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time from submission after which an unfinished job becomes TimedOut. Default 30 min.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long PENDING without a DB row is tolerated before the job is Lost. Default 60 s.</summary>
    public TimeSpan LostAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most status requests in flight at once per tracker. Default 4.</summary>
    [Range(1, 64)]
    public int MaxConcurrentRequests { get; set; } = 4;
}
