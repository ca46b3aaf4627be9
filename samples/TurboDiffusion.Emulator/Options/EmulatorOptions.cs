namespace TurboDiffusion.Emulator;

/// <summary>
/// Settings of the emulator, bound from the configuration section <c>Emulator</c> and validated at
/// start-up. The defaults suit a demo: jobs take a few seconds, like a warm GPU worker.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>The configuration section the standalone emulator binds: <c>Emulator</c>.</summary>
    public const string SectionName = "Emulator";

    /// <summary>
    /// Which API the emulator serves: <see cref="EmulatorApiProfile.VideoGen"/> (default, like the backend at commit
    /// 5b75d5f: <c>/v1/videogen/*</c> and <c>/v1/capabilities/status</c>), <see cref="EmulatorApiProfile.Legacy"/>
    /// (<c>/v1/turbodiffusion/*</c>, commit 322444e) or <see cref="EmulatorApiProfile.Both"/>. <c>/openapi.json</c>
    /// lists what is served.
    /// </summary>
    public EmulatorApiProfile ApiProfile { get; set; } = EmulatorApiProfile.VideoGen;

    /// <summary>
    /// The VideoGen worker's longest clip (<c>TD_MAX_VIDEO_SECONDS</c>): a job asking for more is accepted, then fails
    /// with <c>duration_seconds too large (max=10.0s), got …</c>. Default 10.
    /// </summary>
    public double MaxVideoSeconds { get; set; } = 10;

    /// <summary>What <c>GET /v1/capabilities/status</c> reports (VideoGen), one knob per capability.</summary>
    public EmulatorCapabilities Capabilities { get; set; } = new();

    /// <summary>
    /// Folder for the SQLite database, the stored objects and scratch files. Unset (the default): a
    /// fresh temporary folder per run, deleted when the emulator stops. Set it to keep jobs across
    /// restarts (for example <c>.emulator-data</c>, which git ignores).
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Where <see cref="TurboDiffusionEmulatorServer.StartAsync(EmulatorOptions, CancellationToken)"/>
    /// listens for the API. Default <c>http://127.0.0.1:0</c> (a free port). The standalone program
    /// uses <c>--urls</c> instead.
    /// </summary>
    public string ApiUrl { get; set; } = "http://127.0.0.1:0";

    /// <summary>
    /// Where the object-storage origin (the MinIO stand-in that serves presigned downloads) listens.
    /// Default <c>http://127.0.0.1:0</c>: a free port, so video URLs are cross-origin as in production.
    /// </summary>
    public string StorageUrl { get; set; } = "http://127.0.0.1:0";

    /// <summary>
    /// The base URL written into presigned URLs, when clients reach the storage origin through another
    /// address (a proxy, a container name). Unset: the address the storage origin is bound to.
    /// </summary>
    public string? StoragePublicUrl { get; set; }

    /// <summary>Number of jobs rendered at once. Default 1, like one GPU worker with concurrency 1.</summary>
    public int WorkerCount { get; set; } = 1;

    /// <summary>How many jobs the queue holds; a POST beyond it fails as if the broker refused it. Default 1000.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>How long a job stays queued (Celery PENDING, DB SUBMITTED) before a worker may pick it up. Default 1 s.</summary>
    public TimeSpan QueueDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The pause after each short worker stage (STARTED, DOWNLOADED, UPLOADED), so a poller can see
    /// them. Default 300 ms; tests use zero.
    /// </summary>
    public TimeSpan StageDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Simulated inference time per sampling step; a 4-step job spends 4× this in RUNNING, plus the render. Default 1 s.</summary>
    public TimeSpan StepDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra time each worker spends on its first job, like loading ~30 GB of weights. Default zero.</summary>
    public TimeSpan WarmUpDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Lifetime of presigned download URLs (<c>X-Amz-Expires</c>). Default 3600 s, as the real API signs them.</summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a finished job's Celery result is kept; after it the job reads PENDING again while its
    /// row still says SUCCEEDED. Null (the default): never (the real Redis backend keeps a day).
    /// </summary>
    public TimeSpan? ResultExpiry { get; set; }

    /// <summary>Path of the ffmpeg executable. Unset: <c>ffmpeg</c> found on PATH. ffprobe is looked up beside it, then on PATH.</summary>
    public string? FFmpegPath { get; set; }

    /// <summary>Frames per second of rendered videos, as the backend's <c>TD_VIDEO_FPS</c>. Default 16.</summary>
    public int Fps { get; set; } = 16;

    /// <summary>Frames rendered when a request gives no <c>duration_seconds</c>. Default 81 (about 5 s).</summary>
    public int DefaultFrameCount { get; set; } = 81;

    /// <summary>Largest accepted POST body in bytes; beyond it the emulator answers 413 as a proxy would. Default 100 MiB.</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// Secret for the presigned-URL HMAC. Unset: a random secret kept in the data directory, so URLs
    /// stay valid across a restart on the same data directory.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>The access key shown in <c>X-Amz-Credential</c>. Default <c>emulator</c>.</summary>
    public string AccessKey { get; set; } = "emulator";

    /// <summary>Fault knobs in effect at start-up (all off by default); change them at run time through <see cref="FaultController"/>.</summary>
    public EmulatorFaults Faults { get; set; } = new();

    /// <summary>Copies every setting onto <paramref name="target"/> (the options pipeline creates its own instance).</summary>
    internal void CopyTo(EmulatorOptions target)
    {
        target.DataDirectory = DataDirectory;
        target.ApiUrl = ApiUrl;
        target.StorageUrl = StorageUrl;
        target.StoragePublicUrl = StoragePublicUrl;
        target.WorkerCount = WorkerCount;
        target.QueueCapacity = QueueCapacity;
        target.QueueDelay = QueueDelay;
        target.StageDelay = StageDelay;
        target.StepDuration = StepDuration;
        target.WarmUpDelay = WarmUpDelay;
        target.UrlLifetime = UrlLifetime;
        target.ResultExpiry = ResultExpiry;
        target.FFmpegPath = FFmpegPath;
        target.Fps = Fps;
        target.DefaultFrameCount = DefaultFrameCount;
        target.MaxUploadBytes = MaxUploadBytes;
        target.SigningSecret = SigningSecret;
        target.AccessKey = AccessKey;
        target.Faults = Faults;
        target.ApiProfile = ApiProfile;
        target.MaxVideoSeconds = MaxVideoSeconds;
        target.Capabilities = Capabilities;
    }
}

/// <summary>The API versions the emulator can serve.</summary>
public enum EmulatorApiProfile
{
    /// <summary><c>/v1/turbodiffusion/*</c> (status with the DB row and <c>output_url</c>).</summary>
    Legacy,

    /// <summary><c>/v1/videogen/*</c> and <c>/v1/capabilities/status</c> (seven-key status with <c>video_url</c>).</summary>
    VideoGen,

    /// <summary>Both route sets over the same jobs.</summary>
    Both,
}

/// <summary>Whether each capability reads <c>available</c> in <c>GET /v1/capabilities/status</c>.</summary>
public sealed record EmulatorCapabilities
{
    /// <summary>Text to speech. Default false: the emulator has none.</summary>
    public bool Tts { get; init; }

    /// <summary>Image generation. Default false: like a backend without a remote provider.</summary>
    public bool ImageGen { get; init; }

    /// <summary>Video generation (the ffmpeg stand-in). Default true; false also makes <c>/v1/videogen/models</c> answer its error form.</summary>
    public bool VideoGen { get; init; } = true;

    /// <summary>The LLM behind <c>enhance_prompt</c> (a deterministic fake). Default true.</summary>
    public bool Llm { get; init; } = true;
}
