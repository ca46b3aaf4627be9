using System.Text.Json;
using System.Text.Json.Serialization;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// Job records as the studio keeps them in localStorage (one key per record, <c>i2v.jobs.v1.&lt;id&gt;</c>, JSON with web
/// naming, enum names, nulls left out — the same settings as the components' record serializer).
/// </summary>
public static class StoredJobs
{
    public const string KeyPrefix = "i2v.jobs.v1.";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A finished (succeeded, seen) record as a real run leaves it: prompt, parameters, timeline, signed URL.</summary>
    public static JobRecord Finished(int n, DateTimeOffset createdAt)
    {
        var jobId = Guid.NewGuid().ToString();
        var t = createdAt;
        return new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            JobId = jobId,
            JobType = I2VParams.JobTypeName,
            Inputs = new JobInputs
            {
                Prompt = $"Shot {n}: a lighthouse at dusk, waves rolling in, slow dolly-in, warm light",
                ImageName = $"frame_{n:0000}.png", ImageBlobKey = "blob-" + n, ImageContentType = "image/png",
                ImageSize = 1_843_221, ImageWidth = 1280, ImageHeight = 720,
            },
            Params = new I2VParams { Seed = n, NumSteps = 4, Quantized = true }.ToJson(),
            Status = new JobStatus("SUCCESS", "SUCCEEDED", JobPhase.Succeeded),
            OutputUrl = $"http://127.0.0.1:9000/turbo-super-novel/turbodiffusion/outputs/{jobId}.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=minioadmin%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T140731Z&X-Amz-Expires=3600"
                + "&X-Amz-SignedHeaders=host&X-Amz-Signature=5b0a3d7c1e9f2a4b6c8d0e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b",
            OutputUrlExpiresAt = createdAt.AddHours(1),
            Timeline =
            [
                new JobStatusChange(t, null, null, JobPhase.Submitting),
                new JobStatusChange(t.AddSeconds(1), null, null, JobPhase.Queued),
                new JobStatusChange(t.AddSeconds(5), "PENDING", "SUBMITTED", JobPhase.Queued),
                new JobStatusChange(t.AddSeconds(9), "STARTED", "STARTED", JobPhase.Running),
                new JobStatusChange(t.AddSeconds(11), "STARTED", "RUNNING", JobPhase.Running),
                new JobStatusChange(t.AddSeconds(69), "STARTED", "UPLOADED", JobPhase.Running),
                new JobStatusChange(t.AddSeconds(71), "SUCCESS", "SUCCEEDED", JobPhase.Succeeded),
            ],
            CreatedAt = t,
            CompletedAt = t.AddSeconds(71),
            LastChangeAt = t.AddSeconds(71),
            Deadline = t.AddMinutes(30),
            TrackedSince = t.AddSeconds(1),
            Seen = true,
            Revision = 7,
            UpdatedAt = t.AddSeconds(71),
        };
    }

    /// <summary>An active (queued) record of a job the backend has, submitted <paramref name="createdAt"/>.</summary>
    public static JobRecord Queued(string jobId, int n, DateTimeOffset createdAt) => Finished(n, createdAt) with
    {
        JobId = jobId,
        Status = new JobStatus("PENDING", "SUBMITTED", JobPhase.Queued),
        OutputUrl = null,
        OutputUrlExpiresAt = null,
        Timeline =
        [
            new JobStatusChange(createdAt, null, null, JobPhase.Submitting),
            new JobStatusChange(createdAt.AddSeconds(1), null, null, JobPhase.Queued),
            new JobStatusChange(createdAt.AddSeconds(5), "PENDING", "SUBMITTED", JobPhase.Queued),
        ],
        CompletedAt = null,
        LastChangeAt = createdAt.AddSeconds(5),
        Seen = false,
        Revision = 3,
        UpdatedAt = createdAt.AddSeconds(5),
    };

    /// <summary>Key → JSON for localStorage.</summary>
    public static Dictionary<string, string> Items(IEnumerable<JobRecord> records) =>
        records.ToDictionary(r => KeyPrefix + r.Id, r => JsonSerializer.Serialize(r, Options));

    /// <summary>Writes the items into the page origin's localStorage (the page must be on the studio's origin).</summary>
    public static Task PutAsync(Microsoft.Playwright.IPage page, Dictionary<string, string> items) =>
        page.EvaluateAsync("items => { for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v); }", items);
}
