using System.Diagnostics;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>The queue and its workers: one job at a time by default, more with more workers, a clean stop.</summary>
public class QueueTests
{
    [Fact]
    public async Task OneWorker_SecondJob_WaitsPendingWhileFirstRuns()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.StepDuration = TimeSpan.FromMinutes(10));
        var first = await emulator.SubmitAsync();
        var second = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(first, DbStatus.Running);

        var job = await emulator.GetJobAsync(second);

        Assert.Equal("PENDING", job.GetProperty("status").GetString());
        Assert.Equal("SUBMITTED", job.GetProperty("db").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TwoWorkers_TwoJobs_RunAtTheSameTime()
    {
        await using var emulator = await TestEmulator.StartAsync(o =>
        {
            o.WorkerCount = 2;
            o.StepDuration = TimeSpan.FromMinutes(10);
        });
        var first = await emulator.SubmitAsync();
        var second = await emulator.SubmitAsync();

        await emulator.WaitForDbStatusAsync(first, DbStatus.Running);
        await emulator.WaitForDbStatusAsync(second, DbStatus.Running);

        Assert.Equal("STARTED", (await emulator.GetJobAsync(first)).GetProperty("status").GetString());
        Assert.Equal("STARTED", (await emulator.GetJobAsync(second)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task QueueDelay_Job_StaysPendingUntilTheDelayPasses()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.QueueDelay = TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var jobId = await emulator.SubmitAsync();

        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Started);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"picked up after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Dispose_WithRunningAndQueuedJobs_StopsPromptly()
    {
        var emulator = await TestEmulator.StartAsync(o => o.StepDuration = TimeSpan.FromMinutes(10));
        var running = await emulator.SubmitAsync();
        await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(running, DbStatus.Running);
        var clock = Stopwatch.StartNew();

        await emulator.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task QueueFull_Post_Returns500BrokerFailure()
    {
        await using var emulator = await TestEmulator.StartAsync(o =>
        {
            o.QueueCapacity = 1;
            o.QueueDelay = TimeSpan.FromMinutes(10);
        });
        await emulator.SubmitAsync();
        await emulator.SubmitAsync();
        using var form = JobForms.Create();

        using var response = await emulator.Http.PostAsync(Routes.Jobs, form, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Failed to submit Celery task", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
