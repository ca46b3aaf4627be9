using System.Text.Json;
using System.Text.Json.Serialization;

namespace TurboDiffusion.Client.Contract;

/// <summary>A bucket and key in the backend's object store.</summary>
public sealed record ObjectRef
{
    /// <summary>The bucket, e.g. <c>turbo-super-novel</c>.</summary>
    [JsonPropertyName("bucket")] public string? Bucket { get; init; }

    /// <summary>The object key, e.g. <c>turbodiffusion/outputs/&lt;id&gt;.mp4</c>.</summary>
    [JsonPropertyName("key")] public string? Key { get; init; }
}

/// <summary>Whether the API managed to write the job's row (the job runs either way).</summary>
public sealed record DbPersistence
{
    /// <summary>False when Postgres was down at submission.</summary>
    [JsonPropertyName("persisted")] public bool Persisted { get; init; }

    /// <summary>The database error text when <see cref="Persisted"/> is false.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}

/// <summary>200 answer of <c>POST /v1/turbodiffusion/wan22-i2v/jobs</c>.</summary>
public sealed record CreateJobResponse
{
    /// <summary>The new job's id (a UUID4).</summary>
    [JsonPropertyName("job_id")] public string JobId { get; init; } = "";

    /// <summary>Always <c>submitted</c> today.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>Where the uploaded image was stored.</summary>
    [JsonPropertyName("input")] public ObjectRef? Input { get; init; }

    /// <summary>Where the video will be stored.</summary>
    [JsonPropertyName("output")] public ObjectRef? Output { get; init; }

    /// <summary>Whether the job's row was written.</summary>
    [JsonPropertyName("db")] public DbPersistence? Db { get; init; }
}

/// <summary>The job's row in the backend's database (<c>db</c> in a status answer).</summary>
public sealed record DbJobRow
{
    /// <summary>The worker-written status, kept as sent (see <see cref="DbStates"/>).</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>Input object.</summary>
    [JsonPropertyName("input")] public ObjectRef? Input { get; init; }

    /// <summary>Output object.</summary>
    [JsonPropertyName("output")] public ObjectRef? Output { get; init; }

    /// <summary>Row creation time; null when absent or unreadable.</summary>
    [JsonPropertyName("created_at"), JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Last row update; null when absent or unreadable.</summary>
    [JsonPropertyName("updated_at"), JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The error stored with a FAILED row.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}

/// <summary>The worker's return value on SUCCESS.</summary>
public sealed record JobResultPayload
{
    /// <summary>Job id.</summary>
    [JsonPropertyName("job_id")] public string? JobId { get; init; }

    /// <summary>Input bucket.</summary>
    [JsonPropertyName("input_bucket")] public string? InputBucket { get; init; }

    /// <summary>Input key.</summary>
    [JsonPropertyName("input_key")] public string? InputKey { get; init; }

    /// <summary>Output bucket.</summary>
    [JsonPropertyName("output_bucket")] public string? OutputBucket { get; init; }

    /// <summary>Output key.</summary>
    [JsonPropertyName("output_key")] public string? OutputKey { get; init; }
}

/// <summary>
/// Answer of <c>GET /v1/turbodiffusion/jobs/{job_id}</c> (Legacy) or <c>GET /v1/videogen/jobs/{job_id}</c> (VideoGen:
/// exactly <c>job_id</c>, <c>status</c>, <c>progress</c>, <c>error</c>, <c>provider_type</c>, <c>video_url</c>,
/// <c>duration_seconds</c>, nulls included), read tolerantly.
/// </summary>
public sealed record JobStatusResponse
{
    /// <summary>Echo of the path's id.</summary>
    [JsonPropertyName("job_id")] public string? JobId { get; init; }

    /// <summary>The Celery state as sent, unknown values kept (see <see cref="CeleryStates"/>). Null when missing.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>The job's row, absent when the row does not exist or the lookup failed.</summary>
    [JsonPropertyName("db")] public DbJobRow? Db { get; init; }

    /// <summary>The DB lookup error (e.g. a non-UUID id, or Postgres down).</summary>
    [JsonPropertyName("db_error")] public string? DbError { get; init; }

    /// <summary>The worker's raw return value on SUCCESS (any JSON shape).</summary>
    [JsonPropertyName("result")] public JsonElement? Result { get; init; }

    /// <summary>Presigned download URL on SUCCESS; valid one hour from this GET.</summary>
    [JsonPropertyName("output_url")] public string? OutputUrl { get; init; }

    /// <summary>The worker's error text on FAILURE; may span lines.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>VideoGen: presigned download URL on SUCCESS (Legacy's <see cref="OutputUrl"/>).</summary>
    [JsonPropertyName("video_url")] public string? VideoUrl { get; init; }

    /// <summary>VideoGen: the requested clip length echoed back (not a measured length); null when none was asked.</summary>
    [JsonPropertyName("duration_seconds")] public double? DurationSeconds { get; init; }

    /// <summary>VideoGen: which provider runs the job, e.g. <c>local</c>.</summary>
    [JsonPropertyName("provider_type")] public string? ProviderType { get; init; }

    /// <summary>VideoGen: progress as sent (always null today), kept raw.</summary>
    [JsonPropertyName("progress")] public JsonElement? Progress { get; init; }

    /// <summary>The video's presigned URL in either API version (<see cref="OutputUrl"/> or <see cref="VideoUrl"/>); null when neither is sent.</summary>
    [JsonIgnore]
    public string? DownloadUrl => !string.IsNullOrWhiteSpace(OutputUrl) ? OutputUrl : string.IsNullOrWhiteSpace(VideoUrl) ? null : VideoUrl;
}

/// <summary>One model file and whether it is on disk.</summary>
public sealed record ModelFile
{
    /// <summary>File name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary><c>base</c> or <c>dit</c>.</summary>
    [JsonPropertyName("group")] public string? Group { get; init; }

    /// <summary>Absolute path on the server.</summary>
    [JsonPropertyName("path")] public string? Path { get; init; }

    /// <summary>Whether the file exists.</summary>
    [JsonPropertyName("exists")] public bool Exists { get; init; }
}

/// <summary>One model configuration the backend can run.</summary>
public sealed record ModelInfo
{
    /// <summary>Model name.</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>Whether the weights are quantized.</summary>
    [JsonPropertyName("quantized")] public bool Quantized { get; init; }

    /// <summary>The files it needs.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<ModelFile> Files { get; init; } = [];

    /// <summary>Named paths (vae_path, text_encoder_path, ...).</summary>
    [JsonPropertyName("paths")] public IReadOnlyDictionary<string, string?> Paths { get; init; } = new Dictionary<string, string?>();
}

/// <summary>Answer of <c>GET /v1/turbodiffusion/models</c> or <c>/v1/videogen/models</c>.</summary>
public sealed record ModelsResponse
{
    /// <summary>VideoGen: why no model is listed, e.g. <c>videogen not installed (…)</c>; null otherwise.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>Root folder of the models.</summary>
    [JsonPropertyName("models_root")] public string? ModelsRoot { get; init; }

    /// <summary>Model configurations.</summary>
    [JsonPropertyName("available")] public IReadOnlyList<ModelInfo> Available { get; init; } = [];

    /// <summary>Fields this client does not know (the emulator adds <c>engine</c>), kept for display.</summary>
    [JsonExtensionData] public IDictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Answer of <c>GET /health</c>.</summary>
public sealed record HealthResponse
{
    /// <summary><c>ok</c> when healthy.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }
}

/// <summary>Answer of <c>GET /paths</c>.</summary>
public sealed record PathsResponse
{
    /// <summary>Models folder.</summary>
    [JsonPropertyName("models_dir")] public string? ModelsDir { get; init; }

    /// <summary>Data folder.</summary>
    [JsonPropertyName("data_dir")] public string? DataDir { get; init; }

    /// <summary>Logs folder.</summary>
    [JsonPropertyName("logs_dir")] public string? LogsDir { get; init; }
}

/// <summary>One capability in <c>GET /v1/capabilities/status</c>.</summary>
public sealed record CapabilityStatus
{
    /// <summary>The value of <see cref="Status"/> for a usable capability.</summary>
    public const string Available = "available";

    /// <summary>Which provider serves it.</summary>
    [JsonPropertyName("provider")] public string? Provider { get; init; }

    /// <summary><c>available</c> or <c>unavailable</c>, kept as sent.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    /// <summary>Why, when the backend says (optional).</summary>
    [JsonPropertyName("detail")] public string? Detail { get; init; }

    /// <summary>True when <see cref="Status"/> is <c>available</c>.</summary>
    [JsonIgnore] public bool IsAvailable => string.Equals(Status?.Trim(), Available, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Answer of <c>GET /v1/capabilities/status</c> (VideoGen backends).</summary>
public sealed record CapabilitiesResponse
{
    /// <summary>The capability names the backend reports today.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = ["tts", "imagegen", "videogen", "llm"];

    /// <summary>Capability name (<c>tts</c>, <c>imagegen</c>, <c>videogen</c>, <c>llm</c>, …) → its status.</summary>
    [JsonPropertyName("capabilities")] public IReadOnlyDictionary<string, CapabilityStatus> Capabilities { get; init; } = new Dictionary<string, CapabilityStatus>();

    /// <summary>True when <paramref name="name"/> is reported as available.</summary>
    public bool IsAvailable(string name) => Capabilities.TryGetValue(name, out var capability) && capability.IsAvailable;
}
