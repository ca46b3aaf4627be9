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

    public void Dispose() => TestEmulator.DeleteDirectory(dataDirectory);
}
