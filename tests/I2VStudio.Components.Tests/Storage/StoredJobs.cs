using System.Text.Json;
using I2VStudio.Components.Storage;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components.Tests.Storage;

/// <summary>Job records and their stored form for the store tests.</summary>
internal static class StoredJobs
{
    public const string StorageModule = "./_content/I2VStudio.Components/js/storage.js";

    public static readonly DateTimeOffset Epoch = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static JobRecord Record(string id, JobPhase phase, int minutes, string? thumbnail = "data:image/jpeg;base64,AAAA") => new()
    {
        Id = id,
        JobId = "job-" + id,
        JobType = I2VParams.JobTypeName,
        Inputs = new JobInputs { Prompt = "a cat walks " + id, ThumbnailDataUrl = thumbnail },
        Params = new I2VParams { Seed = 42 }.ToJson(),
        Status = new JobStatus(null, null, phase),
        CreatedAt = Epoch.AddMinutes(minutes),
        CompletedAt = phase.IsFinished() ? Epoch.AddMinutes(minutes + 1) : null,
    };

    public static BrowserJobStore.StoredItem Item(JobRecord record) =>
        new(BrowserJobStore.KeyPrefix + record.Id, JobRecordSerializer.Serialize(record));

    public static JobRecord Parse(string json) => new JobRecordSerializer().TryDeserialize(json)
        ?? throw new InvalidOperationException("not a record: " + json);

    public static string Key(this Bunit.JSRuntimeInvocation invocation) => (string)invocation.Arguments[0]!;

    public static string Json(this Bunit.JSRuntimeInvocation invocation) => (string)invocation.Arguments[1]!;

    public static JsonElement ParamsOf(JobRecord record) => record.Params;
}
