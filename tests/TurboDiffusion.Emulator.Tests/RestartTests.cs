using System.Net.Http.Json;
using System.Text.Json;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>What a stop and a start on the same data directory do to jobs (see the emulator's README).</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string dataDirectory = TestEmulator.NewDataDirectory();

    [Fact]
    public async Task Restart_MidJob_FailsTheRunningJobAndRunsTheQueuedOne()
    {
        string running, queued;
        await using (var first = await TestEmulator.StartAsync(o => o.StepDuration = TimeSpan.FromMinutes(10), clock: null, dataDirectory))
        {
            running = await first.SubmitAsync();
            queued = await first.SubmitAsync();
            await first.WaitForDbStatusAsync(running, DbStatus.Running);
        }

        await using var second = await TestEmulator.StartAsync(configure: null, clock: null, dataDirectory);
        await second.WaitForFinishAsync(queued);

        var failed = await second.GetJobAsync(running);
        Assert.Equal("FAILURE", failed.GetProperty("status").GetString());
        Assert.Equal("FAILED", failed.GetProperty("db").GetProperty("status").GetString());
        Assert.Equal(RestartRecovery.InterruptedMessage, failed.GetProperty("error").GetString());
        Assert.Equal(RestartRecovery.InterruptedMessage, failed.GetProperty("db").GetProperty("error").GetString());
        var requeued = await second.GetJobAsync(queued);
        Assert.Equal("SUCCESS", requeued.GetProperty("status").GetString());
        Assert.Equal("SUCCEEDED", requeued.GetProperty("db").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Restart_AfterSuccess_JobStillReadsSuccessWithAWorkingUrl()
    {
        string jobId;
        await using (var first = await TestEmulator.StartAsync(configure: null, clock: null, dataDirectory))
        {
            jobId = await first.SubmitAsync();
            await first.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);
        }

        await using var second = await TestEmulator.StartAsync(configure: null, clock: null, dataDirectory);
        var job = await second.GetJobAsync(jobId);

        Assert.Equal("SUCCESS", job.GetProperty("status").GetString());
        using var storage = new HttpClient();
        using var video = await storage.GetAsync(new Uri(job.GetProperty("output_url").GetString()!), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, video.StatusCode);
    }

    [Fact]
    public async Task Restart_QueuedVideoGenJobAboveMaxDuration_WorkerStillFailsIt()
    {
        static void VideoGen(EmulatorOptions o)
        {
            o.ApiProfile = EmulatorApiProfile.VideoGen;
            o.MaxVideoSeconds = 1;
        }

        string jobId;
        await using (var first = await TestEmulator.StartAsync(o => { VideoGen(o); o.QueueDelay = TimeSpan.FromHours(1); }, clock: null, dataDirectory))
        {
            using var form = JobForms.Create(durationSeconds: "1.5");
            using var response = await first.Http.PostAsync(new Uri("v1/videogen/wan22-i2v/jobs", UriKind.Relative), form, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            jobId = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("job_id").GetString()!;
        }

        await using var second = await TestEmulator.StartAsync(VideoGen, clock: null, dataDirectory);
        await second.WaitForFinishAsync(jobId);

        var status = await second.Http.GetFromJsonAsync<JsonElement>(new Uri("v1/videogen/jobs/" + jobId, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("FAILURE", status.GetProperty("status").GetString());
        Assert.Equal("duration_seconds too large (max=1.0s), got 1.5", status.GetProperty("error").GetString());
    }

    public void Dispose() => TestEmulator.DeleteDirectory(dataDirectory);
}
