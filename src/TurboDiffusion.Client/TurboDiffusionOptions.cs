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

    /// <summary>
    /// Which API version the backend speaks: <see cref="BackendProfile.Auto"/> (default: read from its
    /// <c>/openapi.json</c>), <see cref="BackendProfile.Legacy"/> (<c>/v1/turbodiffusion</c>) or
    /// <see cref="BackendProfile.VideoGen"/> (<c>/v1/videogen</c>). Env: <c>TurboDiffusion__Profile</c>.
    /// </summary>
    public BackendProfile Profile { get; set; } = BackendProfile.Auto;

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

    /// <summary>How long a queued job goes without a change before stepping down to <see cref="IdleInterval"/>. Default 2 min.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a <em>running</em> job goes without a change before stepping down to <see cref="IdleInterval"/>.
    /// Default 10 min: a GPU run legitimately shows no change for minutes (30 s–3 min here), and stepping down
    /// inside a run would notice its end up to <see cref="IdleInterval"/> late. A stuck worker still steps down.
    /// </summary>
    public TimeSpan RunningIdleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Learn run times from this tracker's finished jobs with the same parameters (seed aside) and, once
    /// <see cref="LearnMinSamples"/> are known, poll a running job sparsely (<see cref="SparseInterval"/>) early in its
    /// run and densely (<see cref="DenseInterval"/>) from shortly before its earliest expected end. Default on.
    /// </summary>
    public bool LearnRunDurations { get; set; } = true;

    /// <summary>Finished runs with the same parameters needed before their run time is trusted. Default 3.</summary>
    [Range(1, 100)]
    public int LearnMinSamples { get; set; } = 3;

    /// <summary>How many of the most recent runs per parameter set are kept. Default 10.</summary>
    [Range(1, 1000)]
    public int LearnMaxSamples { get; set; } = 10;

    /// <summary>
    /// Interval early in a run whose length is known, between <see cref="RunningInterval"/> and
    /// <see cref="IdleInterval"/>. Default 5 s, the queued pace: an unexpected early end (a failure) is noticed at most
    /// this late. (10 s saves another 5 % of the GETs but notices such failures up to 11 s late; see bench/README.md.)
    /// </summary>
    public TimeSpan SparseInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval around and after the expected end of a learned run, never beyond <see cref="RunningInterval"/>. Default 1 s.</summary>
    public TimeSpan DenseInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How early the dense polling starts before the shortest learned run ends (and how long it lasts after the
    /// longest), as a fraction of the shortest run; at least <see cref="RunningInterval"/>. Default 0.1.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LearnedMargin { get; set; } = 0.1;

    /// <summary>
    /// Poll a job less often (<see cref="QueuedBehindInterval"/>) while the backend says it is queued and an earlier
    /// job of this tracker is still queued or running; when one of this tracker's jobs finishes, its oldest queued
    /// job is polled at once (on a one-worker backend it starts now). Default on.
    /// </summary>
    public bool StepDownQueuedBehind { get; set; } = true;

    /// <summary>Interval of a job queued behind this tracker's own earlier jobs, never beyond <see cref="IdleInterval"/>. Default 10 s.</summary>
    public TimeSpan QueuedBehindInterval { get; set; } = TimeSpan.FromSeconds(10);

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
