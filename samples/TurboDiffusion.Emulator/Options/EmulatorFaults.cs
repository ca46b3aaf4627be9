namespace TurboDiffusion.Emulator;

/// <summary>
/// The fault knobs, all off by default. Configured under <c>Emulator:Faults</c>, read and changed at
/// run time through <see cref="FaultController"/> or <c>/_emulator/faults</c>. Immutable: a change
/// replaces the whole record, so a request never sees half of an update.
/// </summary>
public sealed record EmulatorFaults
{
    /// <summary>Fail the next N jobs during inference with a message (a CUDA out-of-memory text by default).</summary>
    public FailNextJobsFault FailNextJobs { get; init; } = new();

    /// <summary>The broker (Redis) refuses jobs: POST answers 500 <c>{"detail": "Failed to submit Celery task: …"}</c> and the row ends SUBMIT_FAILED.</summary>
    public bool BrokerDown { get; init; }

    /// <summary>The database (Postgres) is unreachable: POST answers <c>db.persisted: false</c>, GET gives <c>db_error</c>; jobs still run.</summary>
    public bool DbDown { get; init; }

    /// <summary>Job routes answer 500 <c>text/plain</c> "Internal Server Error", as FastAPI does for an unhandled exception.</summary>
    public FaultTarget UnhandledError { get; init; }

    /// <summary>Added to every API response (not the admin routes, not the storage origin).</summary>
    public TimeSpan ExtraLatency { get; init; }

    /// <summary>Status GETs answer 429 or 503 with <c>Retry-After</c>.</summary>
    public GetErrorFault GetError { get; init; } = new();

    /// <summary>Job routes answer 502 with an nginx HTML page, as a reverse proxy in front of a dead API would.</summary>
    public FaultTarget ProxyHtml502 { get; init; }

    /// <summary>Overrides <see cref="EmulatorOptions.UrlLifetime"/> (a short lifetime makes URLs expire during a test). Null: the option.</summary>
    public TimeSpan? UrlLifetime { get; init; }

    /// <summary>
    /// The LLM behind <c>enhance_prompt</c> fails: a VideoGen POST asking for enhancement answers 503
    /// <c>{"detail": "LLM prompt enhancement unavailable: …"}</c> and queues nothing.
    /// </summary>
    public bool LlmUnavailable { get; init; }

    /// <summary>Overrides <see cref="EmulatorOptions.ResultExpiry"/>. Null: the option.</summary>
    public TimeSpan? ResultExpiry { get; init; }
}

/// <summary>Fail the next <see cref="Count"/> jobs, each with <see cref="Message"/> as the worker's error.</summary>
public sealed record FailNextJobsFault
{
    /// <summary>The two-line CUDA out-of-memory text of <c>examples/job-failure.json</c>.</summary>
    public const string CudaOutOfMemory =
        "CUDA out of memory. Tried to allocate 2.81 GiB. GPU 0 has a total capacity of 23.52 GiB of which 1.02 GiB is free. "
        + "Including non-PyTorch memory, this process has 22.48 GiB memory in use.\n"
        + "Of the allocated memory 21.93 GiB is allocated by PyTorch, and 301.44 MiB is reserved by PyTorch but unallocated.";

    /// <summary>How many of the next jobs fail. Zero: off.</summary>
    public int Count { get; init; }

    /// <summary>The error text (may span lines). Default <see cref="CudaOutOfMemory"/>.</summary>
    public string Message { get; init; } = CudaOutOfMemory;
}

/// <summary>Status GETs answer <see cref="StatusCode"/> with a <c>Retry-After</c> header.</summary>
public sealed record GetErrorFault
{
    /// <summary>429 or 503; zero: off.</summary>
    public int StatusCode { get; init; }

    /// <summary>The <c>Retry-After</c> value in seconds. Default 5.</summary>
    public int RetryAfterSeconds { get; init; } = 5;

    /// <summary>How many GETs fail before the fault turns itself off. Null: every GET while it is on.</summary>
    public int? Count { get; init; }
}

/// <summary>Which job routes a fault hits.</summary>
public enum FaultTarget
{
    /// <summary>Off.</summary>
    None,

    /// <summary><c>POST /v1/turbodiffusion/wan22-i2v/jobs</c>.</summary>
    Post,

    /// <summary><c>GET /v1/turbodiffusion/jobs/{job_id}</c>.</summary>
    Get,

    /// <summary>Both job routes.</summary>
    All,
}
