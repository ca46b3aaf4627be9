using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Jobs.Polling;
using TurboDiffusion.Client.Tests.Http;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>The VideoGen status answer (seven keys, no job record) as the i2v job type and the tracker read it.</summary>
public sealed class VideoGenStatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobSnapshot VideoGenPending { get; } = new() { Celery = "PENDING", NoJobRecords = true };

    private static async Task<JobSnapshot> ReadAsync(string example, BackendProfile profile = BackendProfile.VideoGen)
    {
        using var api = TestApi.Create(FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, Responses.Example(example))),
            o => o.Profile = profile);
        var jobType = Assert.Single(api.Services.GetServices<IJobTypeDefinition>(), t => t.Name == I2VParams.JobTypeName);
        return await jobType.GetStatusAsync("8c2d4f61-0a7e-4b3c-9d15-6e2f8a1b7c40", Ct);
    }

    [Fact]
    public async Task GetStatus_VideoGenSuccess_VideoUrlIsTheOutputAndExtrasPassThrough()
    {
        var snapshot = await ReadAsync("videogen-job-success.json");

        Assert.Equal("SUCCESS", snapshot.Celery);
        Assert.StartsWith("http://127.0.0.1:9000/turbo-super-novel/videogen/outputs/", snapshot.OutputUrl, StringComparison.Ordinal);
        Assert.Equal(5.0, snapshot.DurationSeconds);
        Assert.Equal("local", snapshot.ProviderType);
        Assert.Null(snapshot.Progress);
        Assert.Null(snapshot.Db);
        Assert.True(snapshot.NoJobRecords);
        Assert.Equal(JobPhase.Succeeded, JobStatusRules.Derive(snapshot).Phase);
    }

    [Fact]
    public async Task GetStatus_VideoGenPendingWithExplicitNulls_IsQueuedAndNoLostCandidate()
    {
        var snapshot = await ReadAsync("videogen-job-pending.json");

        var derived = JobStatusRules.Derive(snapshot);

        Assert.Equal(JobPhase.Queued, derived.Phase);
        Assert.False(derived.WithoutDbRow);
        Assert.Null(snapshot.OutputUrl);
        Assert.Null(snapshot.DurationSeconds);
    }

    [Fact]
    public async Task GetStatus_VideoGenFailure_ErrorIsTheMessage()
    {
        var snapshot = await ReadAsync("videogen-job-failure.json");

        var derived = JobStatusRules.Derive(snapshot);

        Assert.Equal(JobPhase.Failed, derived.Phase);
        Assert.Equal("duration_seconds too large (max=10.0s), got 12.5", derived.FailureMessage);
    }

    [Fact]
    public async Task GetStatus_LegacyPendingWithoutRow_StaysALostCandidate()
    {
        var snapshot = await ReadAsync("job-pending-unknown.json", BackendProfile.Legacy);

        Assert.False(snapshot.NoJobRecords);
        Assert.True(JobStatusRules.Derive(snapshot).WithoutDbRow);
    }

    [Fact]
    public async Task Adopt_VideoGenUnknownId_NeverLostButTimesOutAtTheDeadline()
    {
        await using var h = new TrackerHarness(polling: p => p.Jitter = 0);
        h.JobType.Returns("nope", VideoGenPending);

        var adopted = await h.Tracker.AdoptAsync("nope", "i2v", TrackerHarness.Ct);
        var report = await h.NextReportAsync(adopted.Id);
        while (report.Record!.Status.Phase == JobPhase.Queued) report = await h.AdvanceToNextPollAsync(adopted.Id);

        Assert.Equal(JobPhase.TimedOut, report.Record.Status.Phase);
        Assert.Equal(adopted.CreatedAt + h.Options.Polling.Deadline, report.At);
    }

    [Fact]
    public async Task RefreshOutputUrl_VideoGenResultExpired_StaysSucceededWithTheLinkGone()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-1", Snapshots.Success() with { Db = null, NoJobRecords = true });
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);
        h.JobType.Returns("job-1", VideoGenPending);

        var url = await h.Tracker.RefreshOutputUrlAsync(record.Id, Ct);

        Assert.Null(url);
        var after = h.Tracker.Find(record.Id)!;
        Assert.Equal(JobPhase.Succeeded, after.Status.Phase);
        Assert.True(after.OutputLinkGone);
        Assert.NotNull(after.CompletedAt);
    }

    [Fact]
    public async Task SubmitAsync_Legacy_LeavesEnhancePromptOut()
    {
        string? body = null;
        var handler = new FakeHandler(async (request, _, ct) =>
        {
            body = await request.Content!.ReadAsStringAsync(ct);
            return Responses.Json(HttpStatusCode.OK, Responses.Example("create-200.json"));
        });
        using var api = TestApi.Create(handler);
        var jobType = Assert.Single(api.Services.GetServices<IJobTypeDefinition>(), t => t.Name == I2VParams.JobTypeName);
        using var image = new MemoryStream([1, 2, 3]);

        await jobType.SubmitAsync(new JobRequest("i2v", new JobInputs { Prompt = "p", ImageContentType = "image/png" },
            new I2VParams { EnhancePrompt = true }.ToJson()), image, Ct);

        Assert.DoesNotContain("enhance_prompt", body, StringComparison.Ordinal);
    }
}
