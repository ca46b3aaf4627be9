using System.Collections.Immutable;
using System.Text.Json;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components.Tests.Support;

/// <summary>Job records for the component tests.</summary>
internal static class TestJobs
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 28, 14, 32, 0, TimeSpan.Zero);

    public const string Prompt = "A cat walks along the beach\nslow dolly in, golden hour";

    public const string OutputUrl = "https://storage.example/turbo/out.mp4?X-Amz-Expires=3600&sig=1";

    public static JobRecord Make(string id, JobPhase phase, int minutes = 0, long seed = 42, int steps = 4, bool quantized = true,
        string prompt = Prompt)
    {
        var (celery, db) = phase switch
        {
            JobPhase.Queued => (CeleryStates.Pending, DbStates.Submitted),
            JobPhase.Running => (CeleryStates.Started, DbStates.Running),
            JobPhase.Succeeded => (CeleryStates.Success, DbStates.Succeeded),
            JobPhase.Failed => (CeleryStates.Failure, DbStates.Failed),
            JobPhase.TimedOut => (CeleryStates.Pending, DbStates.Submitted),
            JobPhase.Lost => (CeleryStates.Pending, (string?)null),
            _ => ((string?)null, (string?)null),
        };
        var created = Epoch.AddMinutes(minutes);
        var hasJobId = phase is not (JobPhase.Submitting or JobPhase.SubmitFailed);
        return new JobRecord
        {
            Id = id,
            JobId = hasJobId ? "3f1c2a9e-" + id : null,
            JobType = I2VParams.JobTypeName,
            Inputs = new JobInputs
            {
                Prompt = prompt,
                ImageName = "cat.png",
                ImageBlobKey = "blob-" + id,
                ImageContentType = "image/png",
                ImageSize = 123_456,
                ImageWidth = 1280,
                ImageHeight = 720,
                ThumbnailDataUrl = "data:image/jpeg;base64,AAAA",
            },
            Params = new I2VParams { Seed = seed, NumSteps = steps, Quantized = quantized }.ToJson(),
            Status = new JobStatus(celery, db, phase),
            OutputUrl = phase == JobPhase.Succeeded ? OutputUrl : null,
            OutputUrlExpiresAt = phase == JobPhase.Succeeded ? created.AddMinutes(63) : null,
            Error = phase == JobPhase.Failed ? new JobError { Message = "boom", Source = JobErrorSource.Job } : null,
            CreatedAt = created,
            CompletedAt = phase is JobPhase.Succeeded or JobPhase.Failed ? created.AddMinutes(3) : null,
        };
    }

    /// <summary>A succeeded job that was queued 10 s and ran for <paramref name="run"/>.</summary>
    public static JobRecord Finished(string id, int minutes, TimeSpan run, int steps = 4, bool quantized = true)
    {
        var created = Epoch.AddMinutes(minutes);
        var started = created.AddSeconds(10);
        var done = started + run;
        return Make(id, JobPhase.Succeeded, minutes, steps: steps, quantized: quantized) with
        {
            CompletedAt = done,
            Timeline =
            [
                new JobStatusChange(created, null, null, JobPhase.Submitting),
                new JobStatusChange(created.AddSeconds(1), CeleryStates.Pending, DbStates.Submitted, JobPhase.Queued),
                new JobStatusChange(started, CeleryStates.Started, DbStates.Running, JobPhase.Running),
                new JobStatusChange(done, CeleryStates.Success, DbStates.Succeeded, JobPhase.Succeeded),
            ],
        };
    }

    /// <summary>A running job whose run started at <paramref name="runStartedAt"/>.</summary>
    public static JobRecord RunningSince(string id, int minutes, DateTimeOffset runStartedAt, int steps = 4, bool quantized = true) =>
        Make(id, JobPhase.Running, minutes, steps: steps, quantized: quantized) with
        {
            Timeline =
            [
                new JobStatusChange(Epoch.AddMinutes(minutes), null, null, JobPhase.Submitting),
                new JobStatusChange(runStartedAt, CeleryStates.Started, DbStates.Running, JobPhase.Running),
            ],
        };

    /// <summary>Reads a contract example (tests/Fixtures/contract, copied as Examples/).</summary>
    public static JobStatusResponse Example(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Examples", name + ".json");
        return JsonSerializer.Deserialize<JobStatusResponse>(File.ReadAllText(path))
            ?? throw new InvalidOperationException("empty example " + name);
    }

    /// <summary>VideoGen's 503 detail when its LLM cannot enhance the prompt.</summary>
    public const string LlmDown = "LLM prompt enhancement unavailable: connection refused";

    /// <summary>A job sent with prompt enhancement (5 s) that the backend's LLM refused (503): SubmitFailed, as the tracker keeps it.</summary>
    public static JobRecord LlmRefused(string id) => Make(id, JobPhase.SubmitFailed) with
    {
        Params = new I2VParams { Seed = 42, NumSteps = 4, Quantized = true, DurationSeconds = 5, EnhancePrompt = true }.ToJson(),
        Error = new JobError
        {
            Source = JobErrorSource.Submit, HttpStatus = 503, Message = LlmDown, FieldProblems = Problems(("enhance_prompt", LlmDown)),
        },
    };

    public static ImmutableArray<FieldProblem> Problems(params (string Field, string Message)[] items) =>
        [.. items.Select(i => new FieldProblem(i.Field, i.Message))];
}
