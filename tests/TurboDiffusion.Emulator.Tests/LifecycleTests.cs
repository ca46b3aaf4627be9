using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>The DB statuses and Celery states a job goes through, and what unknown or expired ids read.</summary>
public class LifecycleTests
{
    private static readonly string[] SuccessfulDbOrder =
        [DbStatus.Created, DbStatus.Submitted, DbStatus.Started, DbStatus.Downloaded, DbStatus.Running, DbStatus.Uploaded, DbStatus.Succeeded];

    [Fact]
    public async Task Job_Succeeds_WritesDbStatusesInWorkerOrder()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var jobId = await emulator.SubmitAsync();

        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);

        Assert.Equal(SuccessfulDbOrder, emulator.Emulator.Events.StatusesOf(jobId, JobEventSource.Database));
    }

    [Fact]
    public async Task Job_Succeeds_CeleryGoesStartedThenSuccessBeforeDbSucceeded()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var jobId = await emulator.SubmitAsync();

        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);

        var events = emulator.Emulator.Events.ForJob(jobId);
        Assert.Equal([CeleryState.Started, CeleryState.Success], emulator.Emulator.Events.StatusesOf(jobId, JobEventSource.Celery));
        var success = events.Single(e => e.Source == JobEventSource.Celery && e.Status == CeleryState.Success);
        var succeeded = events.Single(e => e.Source == JobEventSource.Database && e.Status == DbStatus.Succeeded);
        Assert.True(success.Sequence < succeeded.Sequence, "Celery stores the result before the row says SUCCEEDED");
    }

    [Fact]
    public async Task Job_Fails_WritesFailedAfterRunningThenCeleryFailure()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = new EmulatorFaults { FailNextJobs = new FailNextJobsFault { Count = 1 } });
        var jobId = await emulator.SubmitAsync();

        await emulator.WaitForFinishAsync(jobId);

        Assert.Equal(
            [DbStatus.Created, DbStatus.Submitted, DbStatus.Started, DbStatus.Downloaded, DbStatus.Running, DbStatus.Failed],
            emulator.Emulator.Events.StatusesOf(jobId, JobEventSource.Database));
        Assert.Equal([CeleryState.Started, CeleryState.Failure], emulator.Emulator.Events.StatusesOf(jobId, JobEventSource.Celery));
    }

    [Fact]
    public async Task Job_PolledOverHttp_ShowsStatusesInOrderEndingSuccess()
    {
        await using var emulator = await TestEmulator.StartAsync(o =>
        {
            o.StageDelay = TimeSpan.FromMilliseconds(40);
            o.StepDuration = TimeSpan.FromMilliseconds(40);
        });
        var jobId = await emulator.SubmitAsync();
        var seen = new List<(string Celery, string Db)>();
        using var timeout = Timeouts.After(30);

        // Poll as fast as the API answers until the job is final; record each distinct (Celery, DB) pair.
        while (seen.Count == 0 || seen[^1].Celery is not (CeleryState.Success or CeleryState.Failure) || seen[^1].Db != DbStatus.Succeeded)
        {
            timeout.Token.ThrowIfCancellationRequested();
            var job = await emulator.GetJobAsync(jobId);
            var pair = (job.GetProperty("status").GetString()!, job.GetProperty("db").GetProperty("status").GetString()!);
            if (seen.Count == 0 || seen[^1] != pair)
            {
                seen.Add(pair);
            }
        }

        var dbOrder = seen.Select(p => Array.IndexOf(SuccessfulDbOrder, p.Db)).ToList();
        Assert.Equal(dbOrder.Order(), dbOrder);
        Assert.Contains((CeleryState.Started, DbStatus.Running), seen);
        Assert.Equal((CeleryState.Success, DbStatus.Succeeded), seen[^1]);
    }

    [Fact]
    public async Task GetJob_IdNeverSeen_PendingWithoutDb()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var job = await emulator.GetJobAsync("0b6f5a52-1d7e-4f0c-8f3e-5c9a7d2e1b44");

        Assert.Equal("PENDING", job.GetProperty("status").GetString());
        Assert.False(job.TryGetProperty("db", out _));
        Assert.False(job.TryGetProperty("db_error", out _));
    }

    [Fact]
    public async Task GetJob_NotAUuid_PendingWithDbError()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var job = await emulator.GetJobAsync("not-a-job");

        Assert.Equal("PENDING", job.GetProperty("status").GetString());
        Assert.Equal("badly formed hexadecimal UUID string", job.GetProperty("db_error").GetString());
        Assert.False(job.TryGetProperty("db", out _));
    }

    [Fact]
    public async Task GetJob_UppercaseIdOfFinishedJob_PendingWithDbRow()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);

        var job = await emulator.GetJobAsync(jobId.ToUpperInvariant());

        // Postgres finds the UUID in any spelling; Celery's key is the exact string.
        Assert.Equal("PENDING", job.GetProperty("status").GetString());
        Assert.Equal("SUCCEEDED", job.GetProperty("db").GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetJob_AfterResultExpiry_PendingWithDbSucceededAndNoUrl()
    {
        var clock = new FakeTimeProvider();
        await using var emulator = await TestEmulator.StartAsync(o => o.ResultExpiry = TimeSpan.FromHours(1), clock, dataDirectory: null);
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);
        var before = await emulator.GetJobAsync(jobId);
        clock.Advance(TimeSpan.FromHours(1));

        var after = await emulator.GetJobAsync(jobId);

        Assert.Equal("SUCCESS", before.GetProperty("status").GetString());
        Assert.Equal("PENDING", after.GetProperty("status").GetString());
        Assert.Equal("SUCCEEDED", after.GetProperty("db").GetProperty("status").GetString());
        Assert.False(after.TryGetProperty("output_url", out _));
        Assert.False(after.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task GetJob_BeforeResultExpiry_StillSuccess()
    {
        var clock = new FakeTimeProvider();
        await using var emulator = await TestEmulator.StartAsync(o => o.ResultExpiry = TimeSpan.FromHours(1), clock, dataDirectory: null);
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);
        clock.Advance(TimeSpan.FromMinutes(59));

        var job = await emulator.GetJobAsync(jobId);

        Assert.Equal("SUCCESS", job.GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetJob_Succeeded_TimestampsAreIsoWithOffset()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);

        var db = (await emulator.GetJobAsync(jobId)).GetProperty("db");

        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$", db.GetProperty("created_at").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$", db.GetProperty("updated_at").GetString());
    }
}
