using System.Text.Json;
using System.Text.Json.Serialization;

namespace TurboDiffusion.Emulator;

// The API's payloads. Property names become snake_case through ApiJson.Options; declaration order is
// the key order of the real responses (see ../shared/contract/examples).

internal sealed record ObjectRef(string Bucket, string Key);

internal sealed record DbPersistence(bool Persisted, string? Error);

internal sealed record CreateJobResponse(string JobId, string Status, ObjectRef Input, ObjectRef Output, DbPersistence Db);

internal sealed record JobDbView(string Status, ObjectRef Input, ObjectRef Output, string? CreatedAt, string? UpdatedAt, string? Error)
{
    public static JobDbView From(JobRow row) => new(
        row.Status,
        new ObjectRef(row.InputBucket, row.InputKey),
        new ObjectRef(row.OutputBucket, row.OutputKey),
        PythonSemantics.IsoFormat(row.CreatedAt),
        PythonSemantics.IsoFormat(row.UpdatedAt),
        row.Error);
}

/// <summary>The worker's return value, stored by Celery and shown as <c>result</c>.</summary>
internal sealed record JobResult(string JobId, string InputBucket, string InputKey, string OutputBucket, string OutputKey);

internal sealed class JobStatusResponse
{
    public required string JobId { get; init; }

    public required string Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JobDbView? Db { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DbError { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Result { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OutputUrl { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; set; }
}

/// <summary>One item of a FastAPI 422 <c>detail</c> list.</summary>
internal sealed record ValidationErrorItem(string Type, IReadOnlyList<string> Loc, string Msg, string? Input)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, object>? Ctx { get; init; }
}

internal sealed record DetailResponse<T>(T Detail);

internal sealed record ModelFile(string Name, string Group, string Path, bool Exists);

internal sealed record ModelPaths(string VaePath, string TextEncoderPath, string HighNoiseDitPath, string LowNoiseDitPath);

internal sealed record ModelEntry(string Model, bool Quantized, IReadOnlyList<ModelFile> Files, ModelPaths Paths);

/// <summary>The extra <c>engine</c> field says plainly that videos come from a stand-in.</summary>
internal sealed record EngineView(string Name, bool StandIn, string Description, bool Available, string? Problem);

internal sealed record ModelsResponse(string ModelsRoot, IReadOnlyList<ModelEntry> Available, EngineView Engine);

internal sealed record PathsResponse(string ModelsDir, string DataDir, string LogsDir);

internal sealed record HealthResponse(string Status);

/// <summary>VideoGen's status answer: always these seven keys, nulls included (FastAPI's response_model).</summary>
internal sealed record VideoGenJobStatus(
    string JobId, string Status, double? Progress, string? Error, string ProviderType, string? VideoUrl, double? DurationSeconds);

/// <summary>VideoGen's models answer when the video library is not installed.</summary>
internal sealed record ModelsUnavailableResponse(string Error, IReadOnlyList<ModelEntry> Available);

/// <summary>One capability; <c>detail</c> is optional on the real backend.</summary>
internal sealed record CapabilityView(string Provider, string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);

internal sealed record CapabilitiesResponse(IReadOnlyDictionary<string, CapabilityView> Capabilities);

internal sealed record OpenApiInfo(string Title, string Version);

internal sealed record OpenApiView(string Openapi, OpenApiInfo Info, IReadOnlyDictionary<string, Dictionary<string, object>> Paths);
