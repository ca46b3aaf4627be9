using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Refit;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>
/// Every status example of the contract, read by the real i2v job type and applied by the tracker, lands in the
/// right phase.
/// </summary>
public sealed class ContractExamplePhaseTests
{
    // Just after the examples' GET, so the example URL's signature is recent enough to be trusted.
    private static readonly DateTimeOffset ExampleTime = new(2025, 12, 21, 14, 7, 35, TimeSpan.Zero);

    public static TheoryData<string, JobPhase, string?, string?> Examples => new()
    {
        { "job-pending-queued.json", JobPhase.Queued, "PENDING", "SUBMITTED" },
        { "job-pending-unknown.json", JobPhase.Queued, "PENDING", null },
        { "job-started-running.json", JobPhase.Running, "STARTED", "RUNNING" },
        { "job-db-down.json", JobPhase.Running, "STARTED", null },
        { "job-success.json", JobPhase.Succeeded, "SUCCESS", "SUCCEEDED" },
        { "job-failure.json", JobPhase.Failed, "FAILURE", "FAILED" },
        { "job-expired-result.json", JobPhase.Succeeded, "PENDING", "SUCCEEDED" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_FirstPoll_ExpectedPhaseAndStates(string example, JobPhase phase, string? celery, string? db)
    {
        var record = await PollOnceAsync(example);

        Assert.Equal(new JobStatus(celery, db, phase), record.Status);
        Assert.False(record.ConnectionTrouble);
    }

    [Fact]
    public async Task Example_Success_PlayableUrlWithSignedExpiry()
    {
        var record = await PollOnceAsync("job-success.json");

        Assert.StartsWith("http://127.0.0.1:9000/turbo-super-novel/turbodiffusion/outputs/", record.OutputUrl, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2025, 12, 21, 15, 7, 31, TimeSpan.Zero), record.OutputUrlExpiresAt);
        Assert.Null(record.RawResult);
    }

    [Fact]
    public async Task Example_Failure_MultiLineErrorVerbatim()
    {
        var record = await PollOnceAsync("job-failure.json");

        Assert.StartsWith("CUDA out of memory. Tried to allocate 2.81 GiB.", record.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("\nOf the allocated memory 21.93 GiB", record.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Example_ExpiredResult_LinkGone()
    {
        var record = await PollOnceAsync("job-expired-result.json");

        Assert.True(record.OutputLinkGone);
        Assert.Null(record.OutputUrl);
    }

    private static async Task<JobRecord> PollOnceAsync(string example)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Examples", example), TestContext.Current.CancellationToken);
        var response = JsonSerializer.Deserialize<JobStatusResponse>(json, TurboDiffusionJson.SerializerOptions)!;
        var time = new FakeTimeProvider(ExampleTime);
        var polled = new TaskCompletionSource<JobRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Microsoft.Extensions.Options.Options.Create(new TurboDiffusionOptions());
        await using var tracker = new JobTracker([new I2VJobType(new ExampleApi(response))], new InMemoryJobStore(),
            new InMemoryJobBlobStore(), options, time, NullLogger<JobTracker>.Instance);
        // The adopted record starts without backend states, so the first poll's answer always changes it.
        using var subscription = tracker.Subscribe(change =>
        {
            if (change.Kind == JobChangeKind.Updated) polled.TrySetResult(change.Record!);
            return Task.CompletedTask;
        });

        await tracker.AdoptAsync(response.JobId!, I2VParams.JobTypeName, TestContext.Current.CancellationToken);
        return await polled.Task.WaitAsync(ScriptedJobType.Guard, TestContext.Current.CancellationToken);
    }

    /// <summary>A backend that answers every status GET with one example payload.</summary>
    private sealed class ExampleApi(JobStatusResponse response) : ITurboDiffusionApi
    {
        public Task<JobStatusResponse> GetJobAsync(string jobId, CancellationToken cancellationToken) => Task.FromResult(response);

        public Task<CreateJobResponse> CreateI2VJobAsync(StreamPart image, string prompt, string seed, string numSteps, string quantized,
            string? durationSeconds, string? enhancePrompt, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ModelsResponse> GetModelsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<CapabilitiesResponse> GetCapabilitiesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<HealthResponse> GetHealthAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PathsResponse> GetPathsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
